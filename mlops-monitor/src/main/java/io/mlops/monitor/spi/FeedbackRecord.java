package io.mlops.monitor.spi;

/**
 * Ground truth for a prediction; a later record for the same prediction replaces an earlier one.
 *
 * @param predictionId the prediction
 * @param timestampMillis when the feedback arrived, epoch milliseconds
 * @param actualJson the true label or value as JSON text ({@code "null"} for a JSON null)
 * @since 0.1.0
 */
public record FeedbackRecord(long predictionId, long timestampMillis, String actualJson) {
}
