package io.mlops.monitor;

/** What the monitored model predicts, which decides the quality metrics. */
public enum Task {
    /** Labels: accuracy, precision, recall, F1. */
    CLASSIFICATION,
    /** Numbers: MAE, RMSE. */
    REGRESSION
}
