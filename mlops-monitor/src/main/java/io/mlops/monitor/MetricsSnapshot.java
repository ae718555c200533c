package io.mlops.monitor;

import java.time.Instant;

/**
 * Metrics over a window, grouped: {@link Counts}, {@link Quality} (from predictions with feedback)
 * and {@link Latency}, beside the two rates. A metric without data is {@code null}.
 * {@link #value(Metric)} and {@link #samples(Metric)} read any metric by name, as alert rules do.
 *
 * @param from the window's start (inclusive, rounded down to the monitor's bucket width)
 * @param to the window's end (exclusive)
 * @param modelVersion the version these metrics are for, or {@code null} for all versions
 * @param counts how many requests, predictions, errors and feedback the window holds
 * @param quality accuracy, precision, recall, F1 (classification) or MAE, RMSE (regression)
 * @param latency latency average and percentiles, in milliseconds
 * @param errorRate errors over requests, or null without requests
 * @param throughputPerSecond requests per second over the window's active span: from the first
 *     minute with a request to the end of the last one (a day with three busy hours gives the busy
 *     hours' rate)
 * @param estimated the quality estimated without labels, beside the realised {@code quality}: of
 *     every prediction logged with a probability while the monitor had a performance estimator
 *     ({@code ModelMonitor.Builder.performanceEstimator}); its values are null otherwise
 * @since 0.1.0
 */
public record MetricsSnapshot(Instant from, Instant to, String modelVersion, Counts counts, Quality quality,
                              Latency latency, Double errorRate, double throughputPerSecond, Estimated estimated) {

    /**
     * Metrics without an estimate.
     *
     * @param from the window's start
     * @param to the window's end
     * @param modelVersion the version, or null
     * @param counts the counts
     * @param quality the realised quality
     * @param latency the latencies
     * @param errorRate errors over requests, or null
     * @param throughputPerSecond requests per second over the active span
     */
    public MetricsSnapshot(Instant from, Instant to, String modelVersion, Counts counts, Quality quality, Latency latency,
                           Double errorRate, double throughputPerSecond) {
        this(from, to, modelVersion, counts, quality, latency, errorRate, throughputPerSecond, Estimated.NONE);
    }

    /**
     * Quality estimated by confidence-based performance estimation from the calibrated probability
     * that each prediction is right (see {@link PerformanceEstimator}): with {@code p} that
     * probability, a prediction of the positive label adds {@code p} to the expected true positives
     * and {@code 1 − p} to the false ones, any other adds {@code p} to the true negatives and
     * {@code 1 − p} to the false negatives; the metrics are read from those sums.
     *
     * @param predictions the predictions the estimate covers (those logged with a probability)
     * @param accuracy estimated share of correct predictions, or null without predictions
     * @param precision estimated precision of the positive label, or null
     * @param recall estimated recall of the positive label, or null
     * @param f1 estimated F1 of the positive label, or null
     * @since 0.1.0
     */
    public record Estimated(long predictions, Double accuracy, Double precision, Double recall, Double f1) {

        /** No estimate. */
        public static final Estimated NONE = new Estimated(0, null, null, null, null);

        /**
         * The standard error of the estimated accuracy, {@code sqrt(a (1 − a) / n)}: how far the
         * realised accuracy of this many predictions is expected to stray from it.
         *
         * @return the standard error, or null without an estimate
         */
        public Double accuracyStandardError() {
            return accuracy == null || predictions == 0 ? null : Math.sqrt(accuracy * (1 - accuracy) / predictions);
        }
    }

    /**
     * How many requests, predictions, errors and feedback the window holds.
     *
     * @param requests predictions plus failed requests
     * @param predictions predictions logged
     * @param errors failed requests ({@link ModelMonitor#error})
     * @param withFeedback predictions that have feedback
     * @param dropped records dropped because the queue was full (policy DROP), since the monitor started
     * @param unknownFeedback feedback for unknown ids ignored (policy COUNT), since the monitor started
     */
    public record Counts(long requests, long predictions, long errors, long withFeedback, long dropped,
                         long unknownFeedback) {
    }

    /**
     * Quality of the predictions made in the window that have feedback.
     *
     * @param accuracy share of correct predictions
     * @param precision binary: of the positive label; multi-class: macro average
     * @param recall binary: of the positive label; multi-class: macro average
     * @param f1 harmonic mean of precision and recall (binary) or macro average of per-class F1
     * @param mae mean absolute error (regression)
     * @param rmse root mean squared error (regression)
     */
    public record Quality(Double accuracy, Double precision, Double recall, Double f1, Double mae, Double rmse) {
    }

    /**
     * Latencies in milliseconds (HdrHistogram, 2 significant digits).
     *
     * @param avgMs mean
     * @param p50Ms median
     * @param p95Ms 95th percentile
     * @param p99Ms 99th percentile
     */
    public record Latency(Double avgMs, Double p50Ms, Double p95Ms, Double p99Ms) {
    }

    /**
     * @param metric a metric
     * @return its value, or null when there is no data for it
     */
    public Double value(Metric metric) {
        return switch (metric) {
            case ACCURACY -> quality.accuracy();
            case PRECISION -> quality.precision();
            case RECALL -> quality.recall();
            case F1 -> quality.f1();
            case MAE -> quality.mae();
            case RMSE -> quality.rmse();
            case AVG_LATENCY -> latency.avgMs();
            case P50_LATENCY -> latency.p50Ms();
            case P95_LATENCY -> latency.p95Ms();
            case P99_LATENCY -> latency.p99Ms();
            case ERROR_RATE -> errorRate;
            case THROUGHPUT -> throughputPerSecond;
            case ESTIMATED_ACCURACY -> estimated.accuracy();
            case ESTIMATED_PRECISION -> estimated.precision();
            case ESTIMATED_RECALL -> estimated.recall();
            case ESTIMATED_F1 -> estimated.f1();
            case DRIFT_SHARE, DRIFTED_FEATURES, FEATURE_PSI, MULTIVARIATE_DRIFT -> null; // from the input profiles, not these counts: see ModelMonitor.drift
        };
    }

    /**
     * @param metric a metric
     * @return how many observations it rests on: feedback for quality metrics, predictions for
     *     latency, requests for error rate and throughput
     */
    public long samples(Metric metric) {
        return switch (metric) {
            case ACCURACY, PRECISION, RECALL, F1, MAE, RMSE -> counts.withFeedback();
            case AVG_LATENCY, P50_LATENCY, P95_LATENCY, P99_LATENCY -> counts.predictions();
            case ERROR_RATE, THROUGHPUT -> counts.requests();
            case ESTIMATED_ACCURACY, ESTIMATED_PRECISION, ESTIMATED_RECALL, ESTIMATED_F1 -> estimated.predictions();
            case DRIFT_SHARE, DRIFTED_FEATURES, FEATURE_PSI, MULTIVARIATE_DRIFT -> 0;
        };
    }
}
