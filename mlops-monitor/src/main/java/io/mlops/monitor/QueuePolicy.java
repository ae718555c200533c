package io.mlops.monitor;

/**
 * What {@code log()} does when the write queue is full.
 *
 * @since 0.1.0
 */
public enum QueuePolicy {
    /** Wait for room (the default): nothing is lost, the caller slows down. */
    BLOCK,
    /** Drop the record and count it ({@link MetricsSnapshot.Counts#dropped()}); the caller never waits. */
    DROP
}
