package io.mlops.drift.stats;

import java.util.Objects;

/**
 * The Jensen-Shannon distance between two discrete distributions, as SciPy's
 * {@code scipy.spatial.distance.jensenshannon(p, q, base)}: both vectors are normalised to sum to
 * 1, then {@code sqrt((KL(p || m) + KL(q || m)) / 2)} with {@code m = (p + q) / 2}, in natural log
 * units unless a base is given. 0 for identical distributions, {@code sqrt(ln 2)} (1 in base 2) for
 * disjoint ones. Stateless and thread-safe.
 */
public final class JensenShannon {

    private JensenShannon() {
    }

    /**
     * @param p weights of the first distribution (non-negative, not all zero)
     * @param q weights of the second, same length
     * @return the distance with the natural logarithm
     */
    public static double distance(double[] p, double[] q) {
        return distance(p, q, Math.E);
    }

    /**
     * @param p weights of the first distribution (non-negative, not all zero)
     * @param q weights of the second, same length
     * @param base the logarithm's base (2 gives a distance in [0, 1])
     * @return the distance
     * @throws IllegalArgumentException when the lengths differ, a weight is negative or NaN, or a
     *     vector sums to zero
     */
    public static double distance(double[] p, double[] q, double base) {
        double[] pn = normalised(p, "p");
        double[] qn = normalised(q, "q");
        if (pn.length != qn.length) {
            throw new IllegalArgumentException("p and q must have the same length but had " + pn.length + " and " + qn.length);
        }
        if (!(base > 0) || base == 1) {
            throw new IllegalArgumentException("base must be > 0 and != 1 but was " + base);
        }
        double js = 0;
        for (int i = 0; i < pn.length; i++) {
            double m = (pn[i] + qn[i]) / 2;
            js += relativeEntropy(pn[i], m) + relativeEntropy(qn[i], m);
        }
        if (base != Math.E) {
            js /= Math.log(base);
        }
        return Math.sqrt(Math.max(0, js / 2));
    }

    private static double relativeEntropy(double x, double y) {
        if (x > 0 && y > 0) {
            return x * Math.log(x / y);
        }
        return 0; // x == 0 (y > 0 always holds here since m >= x / 2)
    }

    static double[] normalised(double[] w, String name) {
        Objects.requireNonNull(w, name);
        double sum = 0;
        for (double x : w) {
            if (!(x >= 0) || Double.isInfinite(x)) {
                throw new IllegalArgumentException(name + " must hold finite non-negative weights but holds " + x);
            }
            sum += x;
        }
        if (sum == 0) {
            throw new IllegalArgumentException(name + " must not sum to zero");
        }
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] / sum;
        }
        return out;
    }
}
