package io.mlops.drift.stats;

/**
 * A two-sample Kolmogorov-Smirnov result with the method that produced the p-value.
 *
 * @param statistic D, the largest distance between the two empirical CDFs
 * @param pValue the two-sided p-value
 * @param method the method used: {@link KsMethod#EXACT} or {@link KsMethod#ASYMPTOTIC} (AUTO
 *     resolved; EXACT falls back to ASYMPTOTIC when its computation fails numerically, as SciPy's does)
 * @since 0.1.0
 */
public record KsResult(double statistic, double pValue, KsMethod method) {

    /**
     * @return statistic and p-value
     */
    public TestResult toTestResult() {
        return new TestResult(statistic, pValue);
    }
}
