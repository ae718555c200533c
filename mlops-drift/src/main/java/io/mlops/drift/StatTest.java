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
    KOLMOGOROV_SMIRNOV(true, ColumnType.NUMERIC) {
        @Override
        public double statistic(FeatureDrift.ColumnStats stats, double psi) {
            return ((FeatureDrift.NumericStats) stats).ksStatistic();
        }

        @Override
        public Double pValue(FeatureDrift.ColumnStats stats) {
            return ((FeatureDrift.NumericStats) stats).ksPValue();
        }
    },
    /** Chi-square test of homogeneity with Yates' correction for two categories (categorical), p-value. */
    CHI_SQUARE(true, ColumnType.CATEGORICAL) {
        @Override
        public double statistic(FeatureDrift.ColumnStats stats, double psi) {
            return ((FeatureDrift.CategoricalStats) stats).chiSquare();
        }

        @Override
        public Double pValue(FeatureDrift.ColumnStats stats) {
            return ((FeatureDrift.CategoricalStats) stats).chiSquarePValue();
        }
    },
    /** Wasserstein-1 distance divided by the reference's standard deviation (numeric). */
    WASSERSTEIN_NORMALIZED(false, ColumnType.NUMERIC) {
        @Override
        public double statistic(FeatureDrift.ColumnStats stats, double psi) {
            return ((FeatureDrift.NumericStats) stats).wassersteinNormalized();
        }
    },
    /** Jensen-Shannon distance, natural log, of the category proportions (categorical). */
    JENSEN_SHANNON(false, ColumnType.CATEGORICAL) {
        @Override
        public double statistic(FeatureDrift.ColumnStats stats, double psi) {
            return ((FeatureDrift.CategoricalStats) stats).jensenShannon();
        }
    },
    /** Population Stability Index (numeric or categorical), drift above 0.25. */
    PSI(false, null) {
        @Override
        public double statistic(FeatureDrift.ColumnStats stats, double psi) {
            return psi;
        }
    };

    /**
     * Picks this test's statistic out of a column's statistics.
     *
     * @param stats the statistics of a column of a type this test {@linkplain #appliesTo applies to}
     * @param psi the column's PSI
     * @return the statistic or distance
     */
    public abstract double statistic(FeatureDrift.ColumnStats stats, double psi);

    /**
     * Picks this test's p-value out of a column's statistics.
     *
     * @param stats the statistics
     * @return the p-value, or null for a distance test
     */
    public Double pValue(FeatureDrift.ColumnStats stats) {
        return null;
    }

    private final boolean pValue;
    private final ColumnType type;

    StatTest(boolean pValue, ColumnType type) {
        this.pValue = pValue;
        this.type = type;
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
