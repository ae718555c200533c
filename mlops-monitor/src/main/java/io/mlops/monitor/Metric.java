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
    FEATURE_PSI;

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
     * @return {@code true} for {@link #DRIFT_SHARE}, {@link #DRIFTED_FEATURES} and {@link #FEATURE_PSI}
     */
    public boolean isDrift() {
        return this == DRIFT_SHARE || this == DRIFTED_FEATURES || this == FEATURE_PSI;
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
