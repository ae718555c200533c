package io.mlops.drift;

import java.util.List;

/**
 * A categorical feature's category proportions on both sides, for charts: the categories with the
 * largest share on either side (at most {@value #MAX_CATEGORIES}), the rest summed as
 * {@value #OTHER}.
 *
 * @param categories the categories shown, by largest share on either side
 * @param reference the reference's proportion of each
 * @param current the current data's proportion of each
 * @since 0.1.0
 */
public record CategoryShares(List<String> categories, double[] reference, double[] current) {

    /** The most categories kept. */
    public static final int MAX_CATEGORIES = 20;

    /** The name of the summed rest. */
    public static final String OTHER = "(other)";

    /**
     * Copies the values.
     *
     * @param categories the categories
     * @param reference reference proportions
     * @param current current proportions
     */
    public CategoryShares {
        categories = List.copyOf(categories);
        reference = reference.clone();
        current = current.clone();
        if (reference.length != categories.size() || current.length != categories.size()) {
            throw new IllegalArgumentException("one proportion per category on each side");
        }
    }

    /**
     * Keeps the largest categories of two proportion vectors over the same categories.
     *
     * @param categories the categories
     * @param p the reference's proportions
     * @param q the current data's proportions
     * @return the shares to show
     */
    public static CategoryShares of(List<String> categories, double[] p, double[] q) {
        Integer[] order = new Integer[categories.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(Math.max(p[b], q[b]), Math.max(p[a], q[a])));
        int keep = Math.min(order.length, order.length > MAX_CATEGORIES ? MAX_CATEGORIES - 1 : MAX_CATEGORIES);
        List<String> names = new java.util.ArrayList<>();
        double[] ref = new double[keep + (order.length > keep ? 1 : 0)];
        double[] cur = new double[ref.length];
        for (int i = 0; i < order.length; i++) {
            int slot = Math.min(i, keep);
            if (i < keep) {
                names.add(categories.get(order[i]));
            }
            ref[slot] += p[order[i]];
            cur[slot] += q[order[i]];
        }
        if (order.length > keep) {
            names.add(OTHER);
        }
        return new CategoryShares(names, ref, cur);
    }
}
