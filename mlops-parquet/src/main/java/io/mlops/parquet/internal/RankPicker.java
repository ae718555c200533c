package io.mlops.parquet.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Picks, from {@code n} values offered in ascending order with their ranks (0-based), what a
 * drift profile keeps of a numeric column: the PSI edges (NumPy's linear quantiles at
 * {@code i / bins}, as {@code io.mlops.core.Quantiles.linear} computes them) and the quantile
 * points (the values of rank {@code ceil(k n / K) - 1}, {@code K = min(n, ceil(16 sqrt(n)))}).
 * Holds {@code O(K + bins)} doubles whatever {@code n} is. Not thread-safe.
 */
final class RankPicker {

    private final long n;
    private final int bins;
    private final long[] lower;
    private final double[] lowerValue;
    private final double[] upperValue;
    private final int k;
    private final ByteBuffer points;
    private int nextPoint; // 1-based index of the next point to take

    RankPicker(long n, int bins) {
        this.n = n;
        this.bins = bins;
        this.lower = new long[bins - 1];
        this.lowerValue = new double[bins - 1];
        this.upperValue = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            lower[i - 1] = (long) Math.floor(i / (double) bins * (n - 1));
        }
        this.k = io.mlops.drift.stats.QuantilePoints.count(n);
        this.points = ByteBuffer.allocate(k * 8).order(ByteOrder.LITTLE_ENDIAN);
        this.nextPoint = 1;
    }

    /** The rank of the k-th point (1-based k), 0-based. */
    private long pointRank(int point) {
        return ((long) point * n + k - 1) / k - 1; // QuantilePoints.rank(n, point) - 1, without its checks: a hot loop
    }

    void offer(long rank, double value) {
        for (int i = 0; i < lower.length; i++) {
            if (rank == lower[i]) {
                lowerValue[i] = value;
            }
            if (rank == Math.min(lower[i] + 1, n - 1)) {
                upperValue[i] = value;
            }
        }
        while (nextPoint <= k && pointRank(nextPoint) == rank) {
            points.putDouble(value);
            nextPoint++;
        }
    }

    /** The distinct interior edges, ascending. */
    double[] edges() {
        double[] edges = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            double position = i / (double) bins * (n - 1);
            double fraction = position - lower[i - 1];
            double lo = lowerValue[i - 1];
            edges[i - 1] = (fraction == 0 ? lo : lo + (upperValue[i - 1] - lo) * fraction) + 0.0;
        }
        return Arrays.stream(edges).distinct().toArray();
    }

    /** The quantile points as little-endian doubles. */
    byte[] points() {
        if (nextPoint != k + 1) {
            throw new IllegalStateException(nextPoint - 1 + " quantile points of " + k + ": fewer values than counted");
        }
        return points.array();
    }
}
