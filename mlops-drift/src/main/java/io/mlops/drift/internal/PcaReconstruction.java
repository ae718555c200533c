package io.mlops.drift.internal;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.drift.MultivariateDrift;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * PCA reconstruction error (see {@link io.mlops.drift.Multivariate}): the reference's numeric
 * features standardised, the eigenvectors of their correlation matrix kept up to the explained
 * share, each row's error {@code sqrt(|z|² − |Vᵀz|²)}. Immutable once fitted.
 */
public final class PcaReconstruction implements MultivariateDrift {

    private final List<String> features;
    private final double[] mean;
    private final double[] sd;
    /** The kept components, one per row, each of the features' length. */
    private final double[][] components;
    private final double referenceMean;
    private final double referenceSd;
    private final double thresholdSd;

    private PcaReconstruction(List<String> features, double[] mean, double[] sd, double[][] components, double referenceMean,
                              double referenceSd, double thresholdSd) {
        this.features = List.copyOf(features);
        this.mean = mean;
        this.sd = sd;
        this.components = components;
        this.referenceMean = referenceMean;
        this.referenceSd = referenceSd;
        this.thresholdSd = thresholdSd;
    }

    /** Fits on the reference's numeric columns that vary. */
    public static PcaReconstruction fit(Dataset reference, double explainedVariance, double thresholdSd) {
        List<String> features = new ArrayList<>();
        List<double[]> standardised = new ArrayList<>();
        List<double[]> stats = new ArrayList<>();
        int n = reference.rowCount();
        for (String c : reference.columnNames()) {
            if (reference.type(c) != ColumnType.NUMERIC) {
                continue;
            }
            double[] x = reference.numeric(c);
            double[] ms = meanAndSd(x);
            if (!(ms[1] > 0) || !Double.isFinite(ms[1])) {
                continue; // constant or all missing: no variation to standardise
            }
            features.add(c);
            stats.add(ms);
            standardised.add(standardise(x, ms[0], ms[1]));
        }
        int p = features.size();
        if (p < 2) {
            throw new IllegalArgumentException("PCA reconstruction needs at least two numeric columns that vary; the reference"
                    + " has " + p + (p == 1 ? " (" + features.get(0) + ")" : ""));
        }
        if (n <= p) {
            throw new IllegalArgumentException("PCA reconstruction needs more rows than columns; the reference has " + n
                    + " rows for " + p + " numeric columns");
        }
        double[][] corr = new double[p][p];
        for (int a = 0; a < p; a++) {
            double[] za = standardised.get(a);
            for (int b = a; b < p; b++) {
                double[] zb = standardised.get(b);
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += za[i] * zb[i];
                }
                corr[a][b] = s / (n - 1);
                corr[b][a] = corr[a][b];
            }
        }
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(corr, false));
        double[] values = eigen.getRealEigenvalues();
        Integer[] order = new Integer[p];
        for (int j = 0; j < p; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x])); // largest first
        double total = 0;
        for (double v : values) {
            total += Math.max(0, v);
        }
        int k = 0;
        double explained = 0;
        while (k < p && explained < explainedVariance * total) {
            explained += Math.max(0, values[order[k]]);
            k++;
        }
        RealMatrix vectors = eigen.getV();
        double[][] kept = new double[k][];
        for (int j = 0; j < k; j++) {
            kept[j] = vectors.getColumn(order[j]);
        }
        double[] mean = new double[p];
        double[] sd = new double[p];
        for (int j = 0; j < p; j++) {
            mean[j] = stats.get(j)[0];
            sd[j] = stats.get(j)[1];
        }
        PcaReconstruction unfitted = new PcaReconstruction(features, mean, sd, kept, 0, 0, thresholdSd);
        double[] errors = unfitted.errors(standardised, n);
        double[] ms = meanAndSd(errors);
        return new PcaReconstruction(features, mean, sd, kept, ms[0], ms[1], thresholdSd);
    }

    /** Mean and sample standard deviation of the finite values. */
    static double[] meanAndSd(double[] x) {
        double sum = 0;
        long count = 0;
        for (double v : x) {
            if (!Double.isNaN(v)) {
                sum += v;
                count++;
            }
        }
        double m = count == 0 ? Double.NaN : sum / count;
        double ss = 0;
        for (double v : x) {
            if (!Double.isNaN(v)) {
                ss += (v - m) * (v - m);
            }
        }
        return new double[] {m, count < 2 ? Double.NaN : Math.sqrt(ss / (count - 1))};
    }

    /** Standardised values, a missing one at the mean (0). */
    private static double[] standardise(double[] x, double mean, double sd) {
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = Double.isNaN(x[i]) ? 0 : (x[i] - mean) / sd;
        }
        return z;
    }

    /** Each row's reconstruction error, the columns standardised. */
    private double[] errors(List<double[]> columns, int n) {
        double[] out = new double[n];
        int p = columns.size();
        double[] row = new double[p];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < p; j++) {
                row[j] = columns.get(j)[i];
                norm += row[j] * row[j];
            }
            double projected = 0;
            for (double[] v : components) {
                double dot = 0;
                for (int j = 0; j < p; j++) {
                    dot += v[j] * row[j];
                }
                projected += dot * dot;
            }
            out[i] = Math.sqrt(Math.max(0, norm - projected));
        }
        return out;
    }

    @Override
    public Result detect(Dataset current) {
        int n = current.rowCount();
        if (n == 0) {
            throw new IllegalArgumentException("the current data has no rows");
        }
        List<double[]> columns = new ArrayList<>(features.size());
        for (int j = 0; j < features.size(); j++) {
            String f = features.get(j);
            if (!current.hasColumn(f)) {
                throw new IllegalArgumentException("the current data lacks the feature '" + f + "' (features: " + features + ")");
            }
            if (current.type(f) != ColumnType.NUMERIC) {
                throw new IllegalArgumentException("the feature '" + f + "' is " + current.type(f) + " in the current data, numeric"
                        + " in the reference");
            }
            columns.add(standardise(current.numeric(f), mean[j], sd[j]));
        }
        double sum = 0;
        for (double e : errors(columns, n)) {
            sum += e;
        }
        double value = sum / n;
        double[] t = thresholds(n);
        return new Result("pca_reconstruction", value, referenceMean, t[0], t[1], n, value < t[0] || value > t[1]);
    }

    @Override
    public List<String> features() {
        return features;
    }

    @Override
    public int components() {
        return components.length;
    }

    @Override
    public double[] thresholds(long rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1 but was " + rows);
        }
        double half = thresholdSd * referenceSd / Math.sqrt(rows);
        return new double[] {referenceMean - half, referenceMean + half};
    }

    @Override
    public String toString() {
        return "PcaReconstruction[" + features.size() + " features, " + components.length + " components, reference error "
                + referenceMean + " +- " + referenceSd + "]";
    }
}
