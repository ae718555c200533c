package io.mlops.drift.stats;

/**
 * Where a saved drift profile takes its quantile points (see {@code ReferenceProfile}): of
 * {@code n} sorted finite values, {@code K = min(n, ceil(16 sqrt(n)))} points, the k-th the order
 * statistic of rank {@code ceil(k n / K)} (1-based). A profile made from a quantile sketch reads
 * its points at these normalised ranks, so that every profile, exact or sketched, in the heap, from
 * Parquet or from Spark, keeps the same points. Stateless.
 *
 * @since 0.1.0
 */
public final class QuantilePoints {

    /** The points per square root of the count. */
    public static final int PER_ROOT = 16;

    private QuantilePoints() {
    }

    /**
     * @param n the number of finite values, {@code >= 0}
     * @return how many points summarise them
     */
    public static int count(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0 but was " + n);
        }
        return (int) Math.min(n, (long) Math.ceil(PER_ROOT * Math.sqrt((double) n)));
    }

    /**
     * @param n the number of finite values, {@code >= 0}
     * @param k a point, 1 to {@link #count(long) count(n)}
     * @return its rank among the sorted values, 1-based: {@code ceil(k n / K)}
     */
    public static long rank(long n, int k) {
        int points = count(n);
        if (k < 1 || k > points) {
            throw new IllegalArgumentException("point " + k + " of " + points);
        }
        return ((long) k * n + points - 1) / points;
    }

    /**
     * The points' normalised ranks, for a quantile sketch's inclusive {@code getQuantiles}.
     *
     * @param n the number of finite values the sketch holds, {@code >= 1}
     * @return {@code rank(n, k) / n} for k = 1..K
     */
    public static double[] normalisedRanks(long n) {
        int points = count(n);
        double[] ranks = new double[points];
        for (int k = 1; k <= points; k++) {
            ranks[k - 1] = Math.min(1.0, rank(n, k) / (double) n);
        }
        return ranks;
    }

    /**
     * @param bins the PSI bins, {@code >= 2}
     * @return the interior bin edges' normalised ranks, {@code i / bins} for i = 1..bins-1
     */
    public static double[] edgeRanks(int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("bins must be >= 2 but was " + bins);
        }
        double[] ranks = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            ranks[i - 1] = i / (double) bins;
        }
        return ranks;
    }

    /**
     * The quantile points of {@code n} values from a quantile function (a sketch's inclusive
     * {@code getQuantiles}, given the normalised ranks).
     *
     * @param n the number of finite values, {@code >= 1}
     * @param quantiles the values at the given normalised ranks
     * @return the {@link #count(long) count(n)} points, ascending
     */
    public static double[] points(long n, java.util.function.UnaryOperator<double[]> quantiles) {
        return quantiles.apply(normalisedRanks(n));
    }

    /**
     * The distinct interior PSI edges from a quantile function, as a profile keeps them ({@code -0.0}
     * as {@code 0.0}).
     *
     * @param bins the PSI bins, {@code >= 2}
     * @param quantiles the values at the given normalised ranks
     * @return the distinct edges, ascending
     */
    public static double[] edges(int bins, java.util.function.UnaryOperator<double[]> quantiles) {
        return java.util.Arrays.stream(quantiles.apply(edgeRanks(bins))).map(v -> v + 0.0).distinct().toArray();
    }

    /**
     * The points as a saved profile writes them: little-endian IEEE-754 doubles, Base64.
     *
     * @param points the points
     * @return their text
     */
    public static String encode(double[] points) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(points.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(points);
        return java.util.Base64.getEncoder().encodeToString(b.array());
    }
}
