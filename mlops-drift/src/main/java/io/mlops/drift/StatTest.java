package io.mlops.drift;

import io.mlops.core.ColumnType;

/**
 * The test that decides whether a feature drifted.
 *
 * <p>P-value tests ({@link #KOLMOGOROV_SMIRNOV}, {@link #CHI_SQUARE}) flag drift when the p-value
 * (after any multiple-testing correction) is below the significance level. Distance tests flag
 * drift when the distance exceeds its threshold: {@link #WASSERSTEIN_NORMALIZED} and
 * {@link #JENSEN_SHANNON} the detector's distance threshold (default 0.1), {@link #PSI} 0.25.
 */
public enum StatTest {
    /** Two-sample Kolmogorov-Smirnov (numeric), p-value. */
    KOLMOGOROV_SMIRNOV(true, ColumnType.NUMERIC),
    /** Chi-square test of homogeneity with Yates' correction for two categories (categorical), p-value. */
    CHI_SQUARE(true, ColumnType.CATEGORICAL),
    /** Wasserstein-1 distance divided by the reference's standard deviation (numeric). */
    WASSERSTEIN_NORMALIZED(false, ColumnType.NUMERIC),
    /** Jensen-Shannon distance, natural log, of the category proportions (categorical). */
    JENSEN_SHANNON(false, ColumnType.CATEGORICAL),
    /** Population Stability Index (numeric or categorical), drift above 0.25. */
    PSI(false, null);

    private final boolean pValue;
    private final ColumnType type;

    StatTest(boolean pValue, ColumnType type) {
        this.pValue = pValue;
        this.type = type;
    }

    /** @return {@code true} for tests that produce a p-value */
    public boolean isPValueTest() {
        return pValue;
    }

    /**
     * @param columnType a column's type
     * @return {@code true} when this test applies to columns of that type
     */
    public boolean appliesTo(ColumnType columnType) {
        return type == null || type == columnType;
    }
}
