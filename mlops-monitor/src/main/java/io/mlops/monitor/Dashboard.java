package io.mlops.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.time.Instant;
import java.util.List;

/**
 * What a monitoring page shows: metrics over the last 24 hours, the same per model version side by
 * side (a canary beside its primary), the newest active alerts, and requests per hour.
 *
 * @param generatedAt when it was made
 * @param last24Hours metrics over the last 24 hours
 * @param activeAlerts the newest active alerts, at most 10, newest first
 * @param requestsPerHour requests per hour for the last 24 hours, oldest first
 * @param byVersion metrics over the last 24 hours per model version with traffic, by version
 *     (sorted; "" for traffic logged without a version)
 * @since 0.1.0
 */
public record Dashboard(Instant generatedAt, MetricsSnapshot last24Hours, List<Alert> activeAlerts,
                        List<HourlyCount> requestsPerHour, java.util.SortedMap<String, MetricsSnapshot> byVersion) {



    /**
     * Copies the lists.
     *
     * @param generatedAt when
     * @param last24Hours the metrics
     * @param activeAlerts the alerts
     * @param requestsPerHour the hourly counts
     * @param byVersion the metrics per version
     */
    public Dashboard {
        activeAlerts = List.copyOf(activeAlerts);
        requestsPerHour = List.copyOf(requestsPerHour);
        byVersion = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(byVersion));
    }

    /**
     * A dashboard without the per-version metrics (the form before they existed).
     *
     * @param generatedAt when
     * @param last24Hours the metrics
     * @param activeAlerts the alerts
     * @param requestsPerHour the hourly counts
     */
    public Dashboard(Instant generatedAt, MetricsSnapshot last24Hours, List<Alert> activeAlerts,
                     List<HourlyCount> requestsPerHour) {
        this(generatedAt, last24Hours, activeAlerts, requestsPerHour, new java.util.TreeMap<>());
    }

    /**
     * Requests in one hour.
     *
     * @param hour the hour's start
     * @param requests predictions plus failed requests in it
     */
    public record HourlyCount(Instant hour, long requests) {
    }

    /**
     * The dashboard as indented JSON. Field names are the record components' names in snake_case
     * ({@code last24_hours}, {@code requests_per_hour}, {@code p95_ms}), the style of every JSON
     * the library shows people and programs (HTTP API, reports).
     *
     * @return the JSON text
     */
    public String toJson() {
        try {
            return io.mlops.core.Json.reportWriter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
