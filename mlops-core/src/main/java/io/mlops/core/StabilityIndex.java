package io.mlops.core;

import java.util.Objects;

/**
 * The Population Stability Index over bins, {@code sum_i (a_i - e_i) ln(a_i / e_i)}, with the
 * expected (reference) proportions {@code e} and the actual (current) ones {@code a}; proportions
 * below {@link #EPSILON} (10<sup>-4</sup>) count as it, so an empty bin raises the index instead
 * of making it infinite or being skipped. Shared by drift detection
 * ({@code io.mlops.drift.stats.PopulationStability}) and the canary analysis's prediction gate.
 * Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class StabilityIndex {

    /** The smallest proportion used for a bin; empty bins count as this. */
    public static final double EPSILON = 1e-4;

    private StabilityIndex() {
    }

    /**
     * @param expectedProportions the reference proportions per bin (non-negative)
     * @param actualProportions the current proportions per bin, same length
     * @return the index, {@code >= 0}
     * @throws IllegalArgumentException when the lengths differ or a proportion is negative, NaN or infinite
     */
    public static double of(double[] expectedProportions, double[] actualProportions) {
        Objects.requireNonNull(expectedProportions, "expectedProportions");
        Objects.requireNonNull(actualProportions, "actualProportions");
        if (expectedProportions.length != actualProportions.length) {
            throw new IllegalArgumentException("proportion vectors must have the same length but had "
                    + expectedProportions.length + " and " + actualProportions.length);
        }
        double psi = 0;
        for (int i = 0; i < expectedProportions.length; i++) {
            double e = floored(expectedProportions[i]);
            double a = floored(actualProportions[i]);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    private static double floored(double p) {
        if (!(p >= 0) || Double.isInfinite(p)) {
            throw new IllegalArgumentException("proportions must be finite and >= 0 but one is " + p);
        }
        return Math.max(p, EPSILON);
    }
}
