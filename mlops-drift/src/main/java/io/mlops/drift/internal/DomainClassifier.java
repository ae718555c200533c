package io.mlops.drift.internal;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.drift.MultivariateDrift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The domain-classifier multivariate method (see {@link io.mlops.drift.Multivariate}): a k-nearest-
 * neighbours classifier tells reference rows from current ones, each row scored by the share of
 * current rows among its k nearest others (leave-one-out: the classifier's own honest
 * cross-validation); the AUC of those scores is compared with its permutation distribution — the
 * same neighbours, the labels shuffled — so the threshold holds whatever the data. Immutable once
 * fitted; each detect is seeded, so the same data give the same verdict.
 */
public final class DomainClassifier implements MultivariateDrift {

    private final List<String> features;
    private final double[] mean;
    private final double[] sd;
    private final double[][] reference; // standardised rows, at most maxRows
    private final int neighbours;
    private final int permutations;
    private final double significance;
    private final int maxRows;

    private DomainClassifier(List<String> features, double[] mean, double[] sd, double[][] reference, int neighbours,
                             int permutations, double significance, int maxRows) {
        this.features = List.copyOf(features);
        this.mean = mean;
        this.sd = sd;
        this.reference = reference;
        this.neighbours = neighbours;
        this.permutations = permutations;
        this.significance = significance;
        this.maxRows = maxRows;
    }

    /** Fits on the reference's numeric columns that vary: their standardisation and a seeded sample of rows. */
    public static DomainClassifier fit(Dataset reference, int neighbours, int permutations, double significance, int maxRows) {
        List<String> features = new ArrayList<>();
        List<double[]> stats = new ArrayList<>();
        for (String c : reference.columnNames()) {
            if (reference.type(c) != ColumnType.NUMERIC) {
                continue;
            }
            double[] ms = PcaReconstruction.meanAndSd(reference.numeric(c));
            if (ms[1] > 0 && Double.isFinite(ms[1])) {
                features.add(c);
                stats.add(ms);
            }
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("a domain classifier needs at least one numeric column that varies");
        }
        if (reference.rowCount() <= neighbours) {
            throw new IllegalArgumentException("a domain classifier needs more than " + neighbours + " reference rows; there are "
                    + reference.rowCount());
        }
        double[] mean = new double[features.size()];
        double[] sd = new double[features.size()];
        for (int j = 0; j < features.size(); j++) {
            mean[j] = stats.get(j)[0];
            sd[j] = stats.get(j)[1];
        }
        DomainClassifier unfitted = new DomainClassifier(features, mean, sd, null, neighbours, permutations, significance, maxRows);
        return new DomainClassifier(features, mean, sd, unfitted.rows(reference, 1), neighbours, permutations, significance,
                maxRows);
    }

    /** At most maxRows standardised rows of the data, a seeded sample when there are more. */
    private double[][] rows(Dataset d, long seed) {
        int n = d.rowCount();
        int[] pick = io.mlops.drift.stats.NearestNeighbours.sample(n, Math.min(n, maxRows), seed);
        double[][] out = new double[pick.length][features.size()];
        for (int j = 0; j < features.size(); j++) {
            String f = features.get(j);
            if (!d.hasColumn(f)) {
                throw new IllegalArgumentException("the current data lacks the feature '" + f + "' (features: " + features + ")");
            }
            if (d.type(f) != ColumnType.NUMERIC) {
                throw new IllegalArgumentException("the feature '" + f + "' is " + d.type(f) + " in the current data, numeric"
                        + " in the reference");
            }
            double[] x = d.numeric(f);
            for (int i = 0; i < pick.length; i++) {
                double v = x[pick[i]];
                out[i][j] = Double.isNaN(v) ? 0 : (v - mean[j]) / sd[j];
            }
        }
        return out;
    }

    @Override
    public Result detect(Dataset current) {
        if (current.rowCount() == 0) {
            throw new IllegalArgumentException("the current data has no rows");
        }
        double[][] cur = rows(current, 2);
        int nr = reference.length;
        int m = nr + cur.length;
        double[][] all = new double[m][];
        System.arraycopy(reference, 0, all, 0, nr);
        System.arraycopy(cur, 0, all, nr, cur.length);
        int k = Math.min(neighbours, m - 1);
        int[][] near = io.mlops.drift.stats.NearestNeighbours.amongThemselves(all, k);
        boolean[] isCurrent = new boolean[m];
        for (int i = nr; i < m; i++) {
            isCurrent[i] = true;
        }
        double auc = auc(near, isCurrent);
        SplittableRandom r = new SplittableRandom(3);
        double[] permuted = new double[permutations];
        boolean[] shuffled = isCurrent.clone();
        int atLeast = 0;
        for (int b = 0; b < permutations; b++) {
            for (int i = m - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                boolean t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            permuted[b] = auc(near, shuffled);
            atLeast += permuted[b] >= auc ? 1 : 0;
        }
        Arrays.sort(permuted);
        double threshold = permuted[Math.min(permutations - 1, (int) Math.ceil((1 - significance) * permutations) - 1)];
        double pValue = (1.0 + atLeast) / (permutations + 1);
        return new Result("domain_classifier", auc, 0.5, Double.NaN, threshold, current.rowCount(), pValue <= significance);
    }

    /** The AUC of the rows' scores (share of current rows among their neighbours) against their labels, ties halved. */
    public static double auc(int[][] near, boolean[] isCurrent) {
        int m = near.length;
        int k = near[0].length;
        // scores are counts 0..k: rank by counting
        long[] currentAt = new long[k + 1];
        long[] referenceAt = new long[k + 1];
        for (int i = 0; i < m; i++) {
            int s = 0;
            for (int j : near[i]) {
                s += isCurrent[j] ? 1 : 0;
            }
            if (isCurrent[i]) {
                currentAt[s]++;
            } else {
                referenceAt[s]++;
            }
        }
        double wins = 0;
        long referenceBelow = 0;
        long nc = 0;
        long nr = 0;
        for (int s = 0; s <= k; s++) {
            wins += currentAt[s] * (referenceBelow + referenceAt[s] / 2.0);
            referenceBelow += referenceAt[s];
            nc += currentAt[s];
            nr += referenceAt[s];
        }
        return nc == 0 || nr == 0 ? 0.5 : wins / ((double) nc * nr);
    }

    @Override
    public List<String> features() {
        return features;
    }

    @Override
    public int components() {
        return 0;
    }

    @Override
    public double[] thresholds(long rows) {
        return new double[] {Double.NaN, Double.NaN}; // from the permutations of each detect
    }

    @Override
    public String toString() {
        return "DomainClassifier[" + features.size() + " features, k " + neighbours + ", " + permutations + " permutations]";
    }
}
