package io.mlops.monitor;

/**
 * How urgent an alert is (named apart from the drift module's {@code Severity}, which grades PSI).
 *
 * @since 0.1.0
 */
public enum AlertSeverity {
    /** Worth a look. */
    LOW,
    /** Degraded. */
    MEDIUM,
    /** Act now. */
    HIGH,
    /** Broken. */
    CRITICAL
}
