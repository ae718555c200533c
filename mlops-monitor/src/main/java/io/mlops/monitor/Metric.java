package io.mlops.monitor;

/**
 * A monitored metric, for alert rules.
 *
 * @since 0.1.0
 */
public enum Metric {
    /** Share of predictions with feedback whose output equals the actual label. */
    ACCURACY,
    /** Precision of the positive label (binary) or macro-averaged (multi-class). */
    PRECISION,
    /** Recall of the positive label (binary) or macro-averaged (multi-class). */
    RECALL,
    /** F1 score, as precision and recall. */
    F1,
    /** Mean absolute error of regression outputs. */
    MAE,
    /** Root mean squared error of regression outputs. */
    RMSE,
    /** Mean latency, in milliseconds. */
    AVG_LATENCY,
    /** Median latency, in milliseconds. */
    P50_LATENCY,
    /** 95th percentile latency, in milliseconds. */
    P95_LATENCY,
    /** 99th percentile latency, in milliseconds. */
    P99_LATENCY,
    /** Failed requests over all requests. */
    ERROR_RATE,
    /** Requests per second. */
    THROUGHPUT,
    /**
     * Accuracy estimated without labels from the predictions' calibrated probabilities
     * ({@code ModelMonitor.Builder.performanceEstimator}; {@link MetricsSnapshot.Estimated}): the
     * alert that the model got worse before the labels say so.
     */
    ESTIMATED_ACCURACY,
    /** Precision of the positive label estimated without labels (see {@link #ESTIMATED_ACCURACY}). */
    ESTIMATED_PRECISION,
    /** Recall of the positive label estimated without labels (see {@link #ESTIMATED_ACCURACY}). */
    ESTIMATED_RECALL,
    /** F1 of the positive label estimated without labels (see {@link #ESTIMATED_ACCURACY}). */
    ESTIMATED_F1,
    /**
     * Share of input features that drifted from the training profile given to
     * {@code ModelMonitor.Builder.driftReference} ({@code ModelMonitor.drift} over the rule's window).
     */
    DRIFT_SHARE,
    /**
     * The number of input features that drifted from the training profile given to
     * {@code ModelMonitor.Builder.driftReference}, after the correction across features of
     * {@code ModelMonitor.Builder.driftSettings} — {@code AlertRule.when(DRIFTED_FEATURES).above(0)}
     * fires when any feature drifted, with clean inputs at most {@code LiveDrift.significance()} of
     * the time per window.
     */
    DRIFTED_FEATURES,
    /**
     * Population stability index of a feature's logged values against the training profile given to
     * {@code ModelMonitor.Builder.driftReference} — of the feature named by {@code AlertRule.forFeature},
     * or the largest of any feature. Conventionally below 0.1 is stable, 0.1 to 0.25 a moderate shift,
     * above 0.25 a large one.
     */
    FEATURE_PSI,
    /**
     * Whether the inputs drifted <em>together</em>: 1 when the multivariate method given to
     * {@code ModelMonitor.Builder.multivariateDrift} finds the rule's window's sampled input rows
     * outside its threshold, else 0 ({@code AlertRule.when(MULTIVARIATE_DRIFT).above(0)}); the
     * method's own value and thresholds are in {@code ModelMonitor.drift(window, profile).multivariate()}.
     * Like the other drift metrics it needs {@code driftReference}; its false alarms per check are
     * the method's (PCA reconstruction at 3 standard errors: about 0.3%; the domain classifier: 1%).
     */
    MULTIVARIATE_DRIFT;

    /**
     * Tells whether a larger value is worse (latency, error rate, MAE, RMSE, drift share), so that a threshold rule on it alerts above the threshold; {@code false} when a smaller value is worse (accuracy, precision, recall, F1, throughput).
     *
     * @return {@code true} when a larger value is worse (latency, error rate, MAE, RMSE), so that a
     *     threshold rule on it alerts above the threshold; {@code false} when a smaller value is
     *     worse (accuracy, precision, recall, F1, throughput)
     */
    public boolean higherIsWorse() {
        return isLatency() || this == ERROR_RATE || this == MAE || this == RMSE || isDrift();
    }

    /**
     * Tells whether this metric comes from the input profiles' drift against a training profile.
     *
     * @return {@code true} for {@link #DRIFT_SHARE}, {@link #DRIFTED_FEATURES}, {@link #FEATURE_PSI} and
     *     {@link #MULTIVARIATE_DRIFT}
     */
    public boolean isDrift() {
        return this == DRIFT_SHARE || this == DRIFTED_FEATURES || this == FEATURE_PSI || this == MULTIVARIATE_DRIFT;
    }

    /**
     * Tells whether this metric is estimated without labels ({@code ModelMonitor.Builder.performanceEstimator}).
     *
     * @return {@code true} for the {@code ESTIMATED_} metrics
     */
    public boolean isEstimated() {
        return this == ESTIMATED_ACCURACY || this == ESTIMATED_PRECISION || this == ESTIMATED_RECALL || this == ESTIMATED_F1;
    }

    /**
     * Tells whether this is a latency metric (in milliseconds).
     *
     * @return {@code true} for the latency metrics, whose values are milliseconds
     */
    public boolean isLatency() {
        return this == AVG_LATENCY || this == P50_LATENCY || this == P95_LATENCY || this == P99_LATENCY;
    }
}
