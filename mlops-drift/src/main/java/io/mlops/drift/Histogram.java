package io.mlops.drift;

/**
 * Reference and current proportions of a numeric feature over equal-width bins of the pooled range
 * of finite values (for the HTML report's histograms).
 *
 * @param edges bin edges, one more than bins; the last bin includes its upper edge
 * @param reference the reference proportions per bin
 * @param current the current proportions per bin
 * @since 0.1.0
 */
public record Histogram(double[] edges, double[] reference, double[] current) {

    /**
     * Copies the arrays.
     *
     * @param edges bin edges
     * @param reference reference proportions
     * @param current current proportions
     */
    public Histogram {
        edges = edges.clone();
        reference = reference.clone();
        current = current.clone();
    }

    /**
     * @return a copy of the bin edges
     */
    @Override
    public double[] edges() {
        return edges.clone();
    }

    /**
     * @return a copy of the reference proportions
     */
    @Override
    public double[] reference() {
        return reference.clone();
    }

    /**
     * @return a copy of the current proportions
     */
    @Override
    public double[] current() {
        return current.clone();
    }
}
