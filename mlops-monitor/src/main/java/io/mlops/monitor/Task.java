package io.mlops.monitor;

/**
 * What the monitored model predicts, which decides the quality metrics.
 *
 * @since 0.1.0
 */
public enum Task {
    /** Labels: accuracy, precision, recall, F1. */
    CLASSIFICATION,
    /** Numbers: MAE, RMSE. */
    REGRESSION
}
