package io.mlops.drift;

import io.mlops.core.ColumnType;

/**
 * The test that decides whether a feature drifted.
 *
 * <p>P-value tests ({@link #KOLMOGOROV_SMIRNOV}, {@link #CHI_SQUARE}) flag drift when the p-value
 * (after any multiple-testing correction) is below the significance level. Distance tests flag
 * drift when the distance exceeds its threshold: {@link #WASSERSTEIN_NORMALIZED} and
 * {@link #JENSEN_SHANNON} the detector's distance threshold (default 0.1), {@link #PSI} 0.25.
 *
 * @since 0.1.0
 */
public enum StatTest {
    /** Two-sample Kolmogorov-Smirnov (numeric), p-value. */
    KOLMOGOROV_SMIRNOV(true, ColumnType.NUMERIC, (s, psi) -> numeric(s).ksStatistic(), s -> numeric(s).ksPValue()),
    /** Chi-square test of homogeneity with Yates' correction for two categories (categorical), p-value. */
    CHI_SQUARE(true, ColumnType.CATEGORICAL, (s, psi) -> categorical(s).chiSquare(), s -> categorical(s).chiSquarePValue()),
    /** Wasserstein-1 distance divided by the reference's standard deviation (numeric). */
    WASSERSTEIN_NORMALIZED(false, ColumnType.NUMERIC, (s, psi) -> numeric(s).wassersteinNormalized(), s -> null),
    /** Jensen-Shannon distance, natural log, of the category proportions (categorical). */
    JENSEN_SHANNON(false, ColumnType.CATEGORICAL, (s, psi) -> categorical(s).jensenShannon(), s -> null),
    /** Population Stability Index (numeric or categorical), drift above 0.25. */
    PSI(false, null, (s, psi) -> psi, s -> null);

    private static FeatureDrift.NumericStats numeric(FeatureDrift.ColumnStats stats) {
        return (FeatureDrift.NumericStats) stats;
    }

    private static FeatureDrift.CategoricalStats categorical(FeatureDrift.ColumnStats stats) {
        return (FeatureDrift.CategoricalStats) stats;
    }

    /**
     * Picks this test's statistic out of a column's statistics.
     *
     * @param stats the statistics of a column of a type this test {@linkplain #appliesTo applies to}
     * @param psi the column's PSI
     * @return the statistic or distance
     */
    public double statistic(FeatureDrift.ColumnStats stats, double psi) {
        return statistic.applyAsDouble(stats, psi);
    }

    /**
     * Picks this test's p-value out of a column's statistics.
     *
     * @param stats the statistics
     * @return the p-value, or null for a distance test
     */
    public Double pValue(FeatureDrift.ColumnStats stats) {
        return pValueOf.apply(stats);
    }

    private final boolean pValue;
    private final ColumnType type;
    private final java.util.function.ToDoubleBiFunction<FeatureDrift.ColumnStats, Double> statistic;
    private final java.util.function.Function<FeatureDrift.ColumnStats, Double> pValueOf;

    StatTest(boolean pValue, ColumnType type, java.util.function.ToDoubleBiFunction<FeatureDrift.ColumnStats, Double> statistic,
             java.util.function.Function<FeatureDrift.ColumnStats, Double> pValueOf) {
        this.pValue = pValue;
        this.type = type;
        this.statistic = statistic;
        this.pValueOf = pValueOf;
    }

    /**
     * Tells whether the test produces a p-value.
     *
     * @return {@code true} for tests that produce a p-value
     */
    public boolean isPValueTest() {
        return pValue;
    }

    /**
     * Tells whether this test applies to columns of that type.
     *
     * @param columnType a column's type
     * @return {@code true} when this test applies to columns of that type
     */
    public boolean appliesTo(ColumnType columnType) {
        return type == null || type == columnType;
    }
}
