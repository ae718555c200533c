package io.mlops.drift.stats;

/**
 * How {@link KolmogorovSmirnov} computes its p-value, as SciPy's {@code ks_2samp(method=…)}.
 *
 * @since 0.1.0
 */
public enum KsMethod {
    /** The exact distribution of D for the two sample sizes (lattice paths). */
    EXACT,
    /** The one-sample Kolmogorov distribution with {@code n = round(n1 n2 / (n1 + n2))} (SciPy's {@code kstwo}). */
    ASYMPTOTIC,
    /** {@link #EXACT} when {@code max(n1, n2) <= 10000}, else {@link #ASYMPTOTIC}. */
    AUTO
}
