package io.mlops.drift.stats;

/**
 * The outcome of a two-sample test.
 *
 * @param statistic the test statistic
 * @param pValue the probability, under the null hypothesis, of a statistic at least this extreme
 * @since 0.1.0
 */
public record TestResult(double statistic, double pValue) {
}
