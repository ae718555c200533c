package io.mlops.drift.stats;

import java.util.Arrays;

/**
 * The Population Stability Index: {@code sum_i (a_i - e_i) ln(a_i / e_i)} over bins, where
 * {@code e} are the expected (reference) and {@code a} the actual (current) proportions.
 *
 * <p>An empty bin on either side would make the index infinite (or, as the reference Python did,
 * be skipped, hiding exactly the shifts PSI should show). Proportions below {@link #EPSILON}
 * (10<sup>-4</sup>, a common industry choice) are raised to it, without renormalising; so a
 * complete shift of 10 equally filled reference bins into one new bin scores about 8.3, never 0.
 * Rule of thumb (as the reference): above 0.1 a moderate shift, above 0.25 a major one.
 * Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class PopulationStability {

    /** The smallest proportion used for a bin; empty bins count as this. */
    public static final double EPSILON = io.mlops.core.StabilityIndex.EPSILON;

    private PopulationStability() {
    }

    /**
     * Returns the index, {@code >= 0} ({@link io.mlops.core.StabilityIndex#of}).
     *
     * @param expectedProportions the reference proportions per bin (non-negative)
     * @param actualProportions the current proportions per bin, same length
     * @return the index, {@code >= 0}
     * @throws IllegalArgumentException when the lengths differ or a proportion is negative or NaN
     */
    public static double index(double[] expectedProportions, double[] actualProportions) {
        return io.mlops.core.StabilityIndex.of(expectedProportions, actualProportions);
    }

    /**
     * Bin edges from a reference sample's quantiles: the interior edges at the {@code 1/bins …
     * (bins-1)/bins} quantiles (NumPy's linear interpolation), duplicates removed; the outermost bins
     * are open to -inf and +inf, so no value is ever outside a bin. A value {@code x} falls in bin
     * {@code i} where {@code i} is the number of edges strictly below {@code x}, i.e. bins are
     * {@code (edge[i-1], edge[i]]}.
     *
     * @param sortedReference the reference values, sorted, finite, not empty
     * @param bins the number of bins wanted, {@code >= 2}
     * @return the interior edges, ascending and distinct (fewer than {@code bins - 1} when the
     *     reference has ties at quantiles)
     */
    public static double[] quantileEdges(double[] sortedReference, int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("bins must be >= 2 but was " + bins);
        }
        if (sortedReference.length == 0) {
            throw new IllegalArgumentException("the reference sample is empty");
        }
        double[] edges = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            // + 0.0 turns -0.0 into 0.0: they are one value, and distinct() would keep both
            edges[i - 1] = io.mlops.core.Quantiles.linear(sortedReference, i / (double) bins) + 0.0;
        }
        return Arrays.stream(edges).distinct().toArray();
    }

    /**
     * Proportions of a sorted sample in the bins of {@link #quantileEdges}.
     *
     * @param sorted the sample, sorted, not empty
     * @param edges interior edges, ascending
     * @return {@code edges.length + 1} proportions summing to 1
     */
    public static double[] proportions(double[] sorted, double[] edges) {
        double[] p = new double[edges.length + 1];
        int start = 0;
        for (int b = 0; b < edges.length; b++) {
            int end = upperBound(sorted, edges[b], start);
            p[b] = (end - start) / (double) sorted.length;
            start = end;
        }
        p[edges.length] = (sorted.length - start) / (double) sorted.length;
        return p;
    }

    /** The first index at or after from whose value is > x. */
    private static int upperBound(double[] sorted, double x, int from) {
        int lo = from;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
