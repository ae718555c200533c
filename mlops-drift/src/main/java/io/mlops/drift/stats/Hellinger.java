package io.mlops.drift.stats;

/**
 * The Hellinger distance between two discrete distributions:
 * {@code sqrt(1 - sum_i sqrt(p_i q_i))} after normalising both to sum to 1; 0 for identical
 * distributions, 1 for disjoint ones. Computed as the equal
 * {@code sqrt(sum_i (sqrt(p_i) - sqrt(q_i))^2 / 2)}, which does not cancel: identical distributions
 * give exactly 0, and close ones keep their digits. Stateless and thread-safe.
 */
public final class Hellinger {

    private Hellinger() {
    }

    /**
     * Returns the distance, in [0, 1].
     *
     * @param p weights of the first distribution (non-negative, not all zero)
     * @param q weights of the second, same length
     * @return the distance, in [0, 1]
     */
    public static double distance(double[] p, double[] q) {
        double[] pn = JensenShannon.normalised(p, "p");
        double[] qn = JensenShannon.normalised(q, "q");
        if (pn.length != qn.length) {
            throw new IllegalArgumentException("p and q must have the same length but had " + pn.length + " and " + qn.length);
        }
        double sum = 0;
        for (int i = 0; i < pn.length; i++) {
            double d = Math.sqrt(pn[i]) - Math.sqrt(qn[i]);
            sum += d * d;
        }
        return Math.min(1.0, Math.sqrt(sum / 2));
    }
}
