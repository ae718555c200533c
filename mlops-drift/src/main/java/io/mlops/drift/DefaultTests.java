package io.mlops.drift;

/**
 * How a {@link DriftDetector} chooses the test for columns without an explicit
 * {@link DriftDetector.Builder#statTest}.
 *
 * @since 0.1.0
 */
public enum DefaultTests {
    /**
     * The reference's behaviour: Kolmogorov-Smirnov for numeric columns, chi-square for categorical
     * ones, whatever the sample size.
     */
    P_VALUE,
    /**
     * P-value tests up to 1,000 reference rows, distance tests above (normalised Wasserstein for
     * numeric columns, Jensen-Shannon for categorical ones, threshold 0.1). With large samples every
     * p-value test rejects: a shift of a hundredth of a standard deviation is "significant" at a
     * million rows, though no model would notice it; a distance measures how large the shift is.
     */
    BY_SAMPLE_SIZE
}
