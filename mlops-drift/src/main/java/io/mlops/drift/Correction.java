package io.mlops.drift;

/**
 * Multiple-testing correction of the p-values of one report's features.
 *
 * @since 0.1.0
 */
public enum Correction {
    /** Each feature's p-value as it is (the reference's behaviour). */
    NONE,
    /** Bonferroni: each p-value multiplied by the number of p-value tests (capped at 1). */
    BONFERRONI,
    /** Benjamini-Hochberg step-up adjusted p-values (controls the false discovery rate). */
    BENJAMINI_HOCHBERG
}
