package io.mlops.serving.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last time each alias moved to a version whose features differ from the version it replaced
 * (shown by {@code /model_info} and counted in {@code /metrics}): clients sending the old features
 * then get 400s, and the server says why. Thread-safe.
 */
final class FeatureChanges {

    /** One alias's last change of features. */
    record Change(String alias, String from, String to, List<String> differences, Instant at, boolean refused) {
    }

    private final ConcurrentHashMap<String, Change> last = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> totals = new ConcurrentHashMap<>();

    void record(Change change) {
        last.put(change.alias(), change);
        totals.merge(change.alias(), 1L, Long::sum);
    }

    /** The changes for {@code /model_info}, by alias. */
    List<Map<String, Object>> current() {
        return new TreeMap<>(last).values().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alias", c.alias());
            m.put("from_version", c.from());
            m.put("to_version", c.to());
            m.put("differences", c.differences());
            m.put("at", c.at().toString());
            m.put("refused", c.refused());
            return m;
        }).toList();
    }

    /** The Prometheus lines: moves to a version of other features, by alias. */
    String render() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP mlops_model_feature_changes_total Alias moves to a version whose features differ from the one served.\n");
        b.append("# TYPE mlops_model_feature_changes_total counter\n");
        new TreeMap<>(totals).forEach((alias, n) -> b.append("mlops_model_feature_changes_total{alias=\"")
                .append(alias.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"} ").append(n).append('\n'));
        return b.toString();
    }
}
