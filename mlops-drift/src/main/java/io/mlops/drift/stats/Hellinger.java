package io.mlops.drift.stats;

/**
 * The Hellinger distance between two discrete distributions:
 * {@code sqrt(1 - sum_i sqrt(p_i q_i))} after normalising both to sum to 1; 0 for identical
 * distributions, 1 for disjoint ones. Stateless and thread-safe.
 */
public final class Hellinger {

    private Hellinger() {
    }

    /**
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
        double bc = 0;
        for (int i = 0; i < pn.length; i++) {
            bc += Math.sqrt(pn[i] * qn[i]);
        }
        return Math.sqrt(Math.max(0, 1 - bc));
    }
}
