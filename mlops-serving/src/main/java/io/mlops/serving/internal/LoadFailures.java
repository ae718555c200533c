package io.mlops.serving.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The versions an alias moved to that could not be loaded, while the version before keeps being
 * served: each alias's last failure (shown by {@code /health} and {@code /metrics}), and when to
 * try that version again (after one poll interval, then twice as long each time, at most
 * {@link #MAX_BACKOFF}), so that a version whose load exhausts memory is not retried on every poll.
 * Thread-safe.
 */
final class LoadFailures {

    /** The longest wait before a failed version is tried again. */
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    /** One alias's failing version. */
    record Failure(String alias, String version, String error, Instant at, int attempts, long retryAtNanos) {
    }

    private final Duration pollInterval;
    private final ConcurrentHashMap<String, Failure> failing = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> totals = new ConcurrentHashMap<>();

    LoadFailures(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /** Whether the version an alias points at may be tried now (not failed, or its wait is over). */
    boolean mayTry(String alias, String version, long nowNanos) {
        Failure f = failing.get(alias);
        return f == null || !f.version().equals(version) || nowNanos - f.retryAtNanos() >= 0;
    }

    /** Records a failed load; returns the failure (its attempts so far). */
    Failure failed(String alias, String version, Throwable error, long nowNanos) {
        totals.merge(alias, 1L, Long::sum);
        return failing.compute(alias, (a, before) -> {
            int attempts = before != null && before.version().equals(version) ? before.attempts() + 1 : 1;
            long waitNanos = Math.min(MAX_BACKOFF.toNanos(), pollInterval.toNanos() << Math.min(attempts - 1, 20));
            String message = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
            return new Failure(alias, version, message, Instant.now(), attempts, nowNanos + waitNanos);
        });
    }

    /** The alias's target loaded, or it points elsewhere now: its failure is over. */
    void cleared(String alias) {
        failing.remove(alias);
    }

    /** The failures in force, for {@code /health}. */
    List<Map<String, Object>> current() {
        return new TreeMap<>(failing).values().stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alias", f.alias());
            m.put("version", f.version());
            m.put("error", f.error());
            m.put("at", f.at().toString());
            m.put("attempts", f.attempts());
            return m;
        }).toList();
    }

    /** The Prometheus lines: failed loads by alias (a counter) and whether an alias's target is failing (a gauge). */
    String render() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP mlops_model_load_failures_total Loads of the version an alias points at that failed.\n");
        b.append("# TYPE mlops_model_load_failures_total counter\n");
        new TreeMap<>(totals).forEach((alias, n) -> b.append("mlops_model_load_failures_total{alias=\"").append(escape(alias))
                .append("\"} ").append(n).append('\n'));
        b.append("# HELP mlops_model_load_failing 1 while the version an alias points at cannot be loaded and the one before"
                + " is served.\n");
        b.append("# TYPE mlops_model_load_failing gauge\n");
        new TreeMap<>(totals).keySet().forEach(alias -> b.append("mlops_model_load_failing{alias=\"").append(escape(alias))
                .append("\"} ").append(failing.containsKey(alias) ? 1 : 0).append('\n'));
        return b.toString();
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
