package io.mlops.monitor;

/**
 * What {@code feedback()} does with a prediction id the monitor does not know.
 *
 * @since 0.1.0
 */
public enum FeedbackPolicy {
    /** Throw {@link UnknownPredictionException} (the default). */
    REJECT,
    /** Ignore it and count it ({@link MetricsSnapshot.Counts#unknownFeedback()}). */
    COUNT
}
