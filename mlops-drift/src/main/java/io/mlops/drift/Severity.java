package io.mlops.drift;

/**
 * How large a feature's shift is, from its PSI as in the reference: above 0.25 high, above 0.1 medium.
 *
 * @since 0.1.0
 */
public enum Severity {
    /** PSI at most 0.1. */
    LOW,
    /** PSI above 0.1, at most 0.25. */
    MEDIUM,
    /** PSI above 0.25. */
    HIGH;

    /**
     * @param psi a Population Stability Index
     * @return its severity
     */
    public static Severity ofPsi(double psi) {
        return psi > 0.25 ? HIGH : psi > 0.1 ? MEDIUM : LOW;
    }
}
