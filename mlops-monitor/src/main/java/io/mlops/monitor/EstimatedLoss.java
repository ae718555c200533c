package io.mlops.monitor;

/**
 * A regressor's loss over a set of predictions: estimated without targets by
 * {@link PerformanceEstimator#estimateLoss} (with standard errors), or realised from targets by
 * {@link PerformanceEstimator#realisedLoss} (errors NaN).
 *
 * @param rows the predictions
 * @param mae the mean absolute error
 * @param rmse the root mean squared error
 * @param maeError the MAE's standard error, {@code sd(reference absolute errors) / sqrt(n)}; NaN when realised
 * @param rmseError the RMSE's, {@code sd(reference squared errors) / sqrt(n) / (2 RMSE)}; NaN when realised
 * @since 0.1.0
 */
public record EstimatedLoss(long rows, double mae, double rmse, double maeError, double rmseError) {
}
