package io.mlops.drift.stats;

import java.util.Objects;

/**
 * Two weight vectors as proportions, and their differences to full precision.
 *
 * <p>Normalising each vector on its own rounds each proportion by half an ulp, which is all of the
 * difference between two nearly equal distributions (weights 1e-12 apart relative lose every
 * digit of their difference). Here each vector is first scaled by a power of two so that its
 * largest weight is in [1, 2) (exact, and no sum can overflow or lose subnormal weights), its sum
 * is kept as a double-double, and each difference {@code p_i / P - q_i / Q} is formed as
 * {@code (p_i Q - q_i P) / (P Q)} with error-free products ({@link Math#fma}), so it is accurate to
 * a few ulps of itself however small it is.
 */
final class Proportions {

    /** The proportions of the first vector. */
    final double[] p;
    /** The proportions of the second vector. */
    final double[] q;
    /** {@code p[i] - q[i]}, accurate to a few ulps of itself. */
    final double[] difference;

    private Proportions(double[] p, double[] q, double[] difference) {
        this.p = p;
        this.q = q;
        this.difference = difference;
    }

    /**
     * Normalises two weight vectors.
     *
     * @throws IllegalArgumentException when the lengths differ, a weight is negative, NaN or
     *     infinite, or a vector sums to zero
     */
    static Proportions of(double[] p, double[] q) {
        double[] ps = scaled(p, "p");
        double[] qs = scaled(q, "q");
        if (ps.length != qs.length) {
            throw new IllegalArgumentException("p and q must have the same length but had " + ps.length + " and " + qs.length);
        }
        double[] pSum = sum(ps);
        double[] qSum = sum(qs);
        int n = ps.length;
        double[] pn = new double[n];
        double[] qn = new double[n];
        double[] d = new double[n];
        double denominator = pSum[0] * qSum[0];
        for (int i = 0; i < n; i++) {
            pn[i] = ps[i] / pSum[0];
            qn[i] = qs[i] / qSum[0];
            // p_i Q - q_i P with both products split exactly (Q = qHi + qLo, P = pHi + pLo)
            double a = ps[i] * qSum[0];
            double aError = Math.fma(ps[i], qSum[0], -a);
            double b = qs[i] * pSum[0];
            double bError = Math.fma(qs[i], pSum[0], -b);
            double numerator = (a - b) + ((aError - bError) + (ps[i] * qSum[1] - qs[i] * pSum[1]));
            d[i] = numerator / denominator;
        }
        return new Proportions(pn, qn, d);
    }

    /** The weights times the power of two that brings the largest into [1, 2); checks them. */
    private static double[] scaled(double[] w, String name) {
        Objects.requireNonNull(w, name);
        double max = 0;
        for (double x : w) {
            if (!(x >= 0) || Double.isInfinite(x)) {
                throw new IllegalArgumentException(name + " must hold finite non-negative weights but holds " + x);
            }
            max = Math.max(max, x);
        }
        if (max == 0) {
            throw new IllegalArgumentException(name + " must not sum to zero");
        }
        int shift = -Math.getExponent(max);
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = Math.scalb(w[i], shift);
        }
        return out;
    }

    /** A sum as a double-double {hi, lo} (Neumaier's two-sum per addition). */
    private static double[] sum(double[] w) {
        double hi = 0;
        double lo = 0;
        for (double x : w) {
            double t = hi + x;
            lo += Math.abs(hi) >= Math.abs(x) ? (hi - t) + x : (x - t) + hi;
            hi = t;
        }
        double t = hi + lo;
        return new double[] {t, lo - (t - hi)};
    }
}
