package io.mlops.monitor;

/** How urgent an alert is. */
public enum Severity {
    /** Worth a look. */
    LOW,
    /** Degraded. */
    MEDIUM,
    /** Act now. */
    HIGH,
    /** Broken. */
    CRITICAL
}
