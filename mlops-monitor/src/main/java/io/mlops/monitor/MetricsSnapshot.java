package io.mlops.monitor;

import java.time.Instant;

/**
 * Metrics over a window. Quality metrics count predictions made in the window that have feedback;
 * a metric without data is {@code null}. Latencies are milliseconds.
 *
 * @param from the window's start (inclusive, rounded down to the monitor's bucket width)
 * @param to the window's end (exclusive)
 * @param modelVersion the version these metrics are for, or {@code null} for all versions
 * @param requests predictions plus failed requests
 * @param predictions predictions logged
 * @param errors failed requests ({@link ModelMonitor#error})
 * @param withFeedback predictions that have feedback
 * @param accuracy share of correct predictions among those with feedback
 * @param precision binary: of the positive label; multi-class: macro average
 * @param recall binary: of the positive label; multi-class: macro average
 * @param f1 harmonic mean of precision and recall (binary) or macro average of per-class F1
 * @param mae mean absolute error (regression)
 * @param rmse root mean squared error (regression)
 * @param latencyAvgMs mean latency
 * @param latencyP50Ms median latency
 * @param latencyP95Ms 95th percentile latency
 * @param latencyP99Ms 99th percentile latency
 * @param errorRate errors over requests
 * @param throughputPerSecond requests per second over the window
 * @param dropped records dropped because the queue was full (policy DROP), since the monitor started
 * @param unknownFeedback feedback for unknown ids ignored (policy COUNT), since the monitor started
 */
public record MetricsSnapshot(Instant from, Instant to, String modelVersion, long requests, long predictions, long errors,
                              long withFeedback, Double accuracy, Double precision, Double recall, Double f1, Double mae,
                              Double rmse, Double latencyAvgMs, Double latencyP50Ms, Double latencyP95Ms,
                              Double latencyP99Ms, Double errorRate, double throughputPerSecond, long dropped,
                              long unknownFeedback) {

    /**
     * @param metric a metric
     * @return its value, or null when there is no data for it
     */
    public Double value(Metric metric) {
        switch (metric) {
            case ACCURACY:
                return accuracy;
            case PRECISION:
                return precision;
            case RECALL:
                return recall;
            case F1:
                return f1;
            case MAE:
                return mae;
            case RMSE:
                return rmse;
            case AVG_LATENCY:
                return latencyAvgMs;
            case P50_LATENCY:
                return latencyP50Ms;
            case P95_LATENCY:
                return latencyP95Ms;
            case P99_LATENCY:
                return latencyP99Ms;
            case ERROR_RATE:
                return errorRate;
            case THROUGHPUT:
                return throughputPerSecond;
            default:
                throw new IllegalArgumentException(metric.name());
        }
    }

    /**
     * @param metric a metric
     * @return how many observations it rests on: feedback for quality metrics, predictions for
     *     latency, requests for error rate and throughput
     */
    public long samples(Metric metric) {
        switch (metric) {
            case ACCURACY:
            case PRECISION:
            case RECALL:
            case F1:
            case MAE:
            case RMSE:
                return withFeedback;
            case AVG_LATENCY:
            case P50_LATENCY:
            case P95_LATENCY:
            case P99_LATENCY:
                return predictions;
            default:
                return requests;
        }
    }
}
