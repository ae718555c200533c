package io.mlops.drift.internal;

/**
 * The quantile points that stand in for a numeric column's values in a saved profile: of {@code n}
 * sorted finite values, {@code K = min(n, ceil(16 sqrt(n)))} points, the k-th being the order
 * statistic {@code x[ceil(k n / K)]} (k = 1..K). As an equal-weight sample they give a CDF within
 * {@code 1/K} of the values' own everywhere, so the Kolmogorov-Smirnov statistic a check computes
 * from them is within {@code 1/K} of the exact one: at most a sixteenth of a standard error of the
 * statistic at any sample size (its 5% critical value is about {@code 1.92 / sqrt(n)} for equal
 * samples), while a million values keep 16,000 points (128 KB) rather than 8 MB. With
 * {@code n <= 256}, K = n: the points are the values. Stateless.
 */
final class QuantileSummary {

    /** The points per square root of the count. */
    static final int PER_ROOT = io.mlops.drift.stats.QuantilePoints.PER_ROOT;

    private QuantileSummary() {
    }

    /** How many points summarise n values. */
    static int pointsFor(long n) {
        return io.mlops.drift.stats.QuantilePoints.count(n);
    }

    /** The points of sorted values. */
    static double[] of(double[] sorted) {
        int n = sorted.length;
        int k = pointsFor(n);
        double[] points = new double[k];
        for (int i = 1; i <= k; i++) {
            long rank = io.mlops.drift.stats.QuantilePoints.rank(n, i); // ceil(i n / k), 1-based
            points[i - 1] = sorted[(int) rank - 1];
        }
        return points;
    }
}
