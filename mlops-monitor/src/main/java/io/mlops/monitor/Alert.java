package io.mlops.monitor;

import java.time.Instant;
import java.util.Objects;

/**
 * An alert: opened once when its rule's condition starts to hold, resolved when it clears (or by
 * {@link ModelMonitor#resolve}).
 *
 * @param id the alert's id in the store
 * @param rule the rule's name
 * @param metric the metric
 * @param severity the severity
 * @param message a sentence saying what happened
 * @param value the metric's value when the alert opened
 * @param threshold the rule's threshold
 * @param modelVersion the version the rule watches, or null for all
 * @param openedAt when it opened
 * @param resolvedAt when it was resolved, or null while active
 * @since 0.1.0
 */
public record Alert(long id, String rule, Metric metric, AlertSeverity severity, String message, double value, double threshold,
                    String modelVersion, Instant openedAt, Instant resolvedAt) {

    /**
     * Validates the components.
     *
     * @param id the id
     * @param rule the rule
     * @param metric the metric
     * @param severity the severity
     * @param message the message
     * @param value the value
     * @param threshold the threshold
     * @param modelVersion the version or null
     * @param openedAt when it opened
     * @param resolvedAt when resolved, or null
     */
    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(openedAt, "openedAt");
    }

    /**
     * Tells whether the alert is not resolved yet.
     *
     * @return {@code true} while not resolved
     */
    public boolean isActive() {
        return resolvedAt == null;
    }

    /**
     * @param at when it was resolved
     * @return this alert, resolved
     */
    public Alert resolved(Instant at) {
        return new Alert(id, rule, metric, severity, message, value, threshold, modelVersion, openedAt, at);
    }
}
