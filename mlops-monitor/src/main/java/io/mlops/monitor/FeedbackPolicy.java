package io.mlops.monitor;

/** What {@code feedback()} does with a prediction id the monitor does not know. */
public enum FeedbackPolicy {
    /** Throw {@link UnknownPredictionException} (the default). */
    REJECT,
    /** Ignore it and count it ({@link MetricsSnapshot.Counts#unknownFeedback()}). */
    COUNT
}
