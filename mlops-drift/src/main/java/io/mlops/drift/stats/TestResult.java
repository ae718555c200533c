package io.mlops.drift.stats;

/**
 * The outcome of a two-sample test.
 *
 * @param statistic the test statistic
 * @param pValue the probability, under the null hypothesis, of a statistic at least this extreme
 */
public record TestResult(double statistic, double pValue) {
}
