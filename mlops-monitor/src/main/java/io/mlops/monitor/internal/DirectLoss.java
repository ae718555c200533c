package io.mlops.monitor.internal;

import io.mlops.drift.stats.NearestNeighbours;
import io.mlops.monitor.EstimatedLoss;

import java.util.Arrays;

/**
 * Direct loss estimation with a k-nearest-neighbours nanny model (see
 * {@link io.mlops.monitor.PerformanceEstimator#dle}): the reference rows' features and the
 * monitored model's prediction, standardised with the reference's mean and sample standard
 * deviation; a row's expected absolute (squared) error is the mean of its k nearest reference
 * rows' (brute force, Euclidean). Immutable once fitted.
 */
public final class DirectLoss {

    /** The neighbours a row's loss is averaged over. */
    public static final int NEIGHBOURS = 10;
    /** The most reference rows kept (a seeded sample beyond). */
    public static final int MAX_REFERENCE = 20_000;

    private final double[] mean;
    private final double[] sd;
    private final double[][] reference; // standardised
    private final double[] absErrors;
    private final double[] squaredErrors;
    private final double absSd;
    private final double squaredSd;

    private DirectLoss(double[] mean, double[] sd, double[][] reference, double[] absErrors, double[] squaredErrors) {
        this.mean = mean;
        this.sd = sd;
        this.reference = reference;
        this.absErrors = absErrors;
        this.squaredErrors = squaredErrors;
        this.absSd = sampleSd(absErrors);
        this.squaredSd = sampleSd(squaredErrors);
    }

    /** Fits on the reference: features (one row per prediction), the model's predictions, the targets. */
    public static DirectLoss fit(double[][] features, double[] predictions, double[] targets) {
        int n = predictions.length;
        int[] keep = NearestNeighbours.sample(n, Math.min(n, MAX_REFERENCE), 1);
        double[][] inputs = new double[keep.length][];
        double[] abs = new double[keep.length];
        double[] sq = new double[keep.length];
        for (int i = 0; i < keep.length; i++) {
            int r = keep[i];
            inputs[i] = row(features[r], predictions[r]);
            double e = targets[r] - predictions[r];
            abs[i] = Math.abs(e);
            sq[i] = e * e;
        }
        int p = inputs[0].length;
        double[] mean = new double[p];
        double[] sd = new double[p];
        for (int j = 0; j < p; j++) {
            double[] column = new double[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                column[i] = inputs[i][j];
            }
            double[] ms = {Arrays.stream(column).average().orElse(0), sampleSd(column)};
            mean[j] = ms[0];
            sd[j] = ms[1] > 0 ? ms[1] : 1;
        }
        for (double[] r : inputs) {
            standardise(r, mean, sd);
        }
        return new DirectLoss(mean, sd, inputs, abs, sq);
    }

    private static double[] row(double[] features, double prediction) {
        double[] r = Arrays.copyOf(features, features.length + 1);
        r[features.length] = prediction;
        return r;
    }

    private static void standardise(double[] r, double[] mean, double[] sd) {
        for (int j = 0; j < r.length; j++) {
            r[j] = (r[j] - mean[j]) / sd[j];
        }
    }

    static double sampleSd(double[] x) {
        double m = Arrays.stream(x).average().orElse(0);
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return x.length < 2 ? Double.NaN : Math.sqrt(ss / (x.length - 1));
    }

    /** The number of features a row must have. */
    public int features() {
        return mean.length - 1;
    }

    /** The expected loss over rows of features and the model's predictions. */
    public EstimatedLoss estimate(double[][] features, double[] predictions) {
        int n = predictions.length;
        int k = Math.min(NEIGHBOURS, reference.length);
        double absSum = 0;
        double sqSum = 0;
        for (int i = 0; i < n; i++) {
            double[] q = row(features[i], predictions[i]);
            standardise(q, mean, sd);
            int[] bestAt = NearestNeighbours.of(q, reference, k, -1);
            double a = 0;
            double s = 0;
            for (int m = 0; m < k; m++) {
                a += absErrors[bestAt[m]];
                s += squaredErrors[bestAt[m]];
            }
            absSum += a / k;
            sqSum += s / k;
        }
        double mae = absSum / n;
        double rmse = Math.sqrt(sqSum / n);
        return new EstimatedLoss(n, mae, rmse, absSd / Math.sqrt(n), squaredSd / Math.sqrt(n) / (2 * rmse));
    }
}
