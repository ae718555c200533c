package io.mlops.console.internal;

import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.Alert;
import io.mlops.monitor.Dashboard;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.mlops.console.internal.Html.esc;
import static io.mlops.console.internal.Html.number;

/** The monitor's pages: the dashboard with per-version charts, the alerts, and live drift. */
final class MonitorPages {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);
    /** Versions charted at most (the busiest of the day). */
    static final int CHARTED_VERSIONS = 6;
    private final ModelMonitor monitor;
    private final ReferenceProfile reference;

    MonitorPages(ModelMonitor monitor, ReferenceProfile reference) {
        this.monitor = monitor;
        this.reference = reference;
    }

    String dashboard() {
        Dashboard d = monitor.dashboard();
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("all versions", d.last24Hours()));
        d.byVersion().forEach((version, m) -> rows.add(row(version, m)));
        StringBuilder body = new StringBuilder("<p class=\"muted\">The last 24 hours, as of ")
                .append(esc(TIME.format(d.generatedAt()))).append(" UTC.</p>");
        body.append(Html.table(List.of("version", "requests", "errors", "error rate", "p50 ms", "p95 ms", "p99 ms", "accuracy",
                "with feedback", "estimated accuracy"), rows));
        List<String> versions = d.byVersion().entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().counts().requests(), a.getValue().counts().requests()))
                .limit(CHARTED_VERSIONS).map(Map.Entry::getKey).toList();
        Map<String, List<MetricsSnapshot>> series = new LinkedHashMap<>();
        for (String v : versions) {
            series.put(v, monitor.timeline(Duration.ofHours(24), Duration.ofHours(1), v));
        }
        List<String> hours = new ArrayList<>();
        List<MetricsSnapshot> any = series.isEmpty() ? monitor.timeline(Duration.ofHours(24), Duration.ofHours(1), null)
                : series.values().iterator().next();
        any.forEach(m -> hours.add(TIME.format(m.from())));
        body.append("<h2>Per version, hour by hour</h2><div class=\"charts\">");
        body.append(chart("requests", "", hours, series, m -> (double) m.counts().requests()));
        body.append(chart("error rate", "", hours, series, MetricsSnapshot::errorRate));
        body.append(chart("latency p50", "ms", hours, series, m -> m.latency().p50Ms()));
        body.append(chart("latency p95", "ms", hours, series, m -> m.latency().p95Ms()));
        body.append(chart("latency p99", "ms", hours, series, m -> m.latency().p99Ms()));
        body.append(chart("accuracy", "", hours, series, m -> m.quality().accuracy()));
        if (any.stream().anyMatch(m -> m.estimated().accuracy() != null)) {
            body.append(chart("estimated accuracy (no labels)", "", hours, series, m -> m.estimated().accuracy()));
        }
        body.append("</div>");
        if (d.byVersion().size() > CHARTED_VERSIONS) {
            body.append("<p class=\"muted\">Charts show the ").append(CHARTED_VERSIONS).append(" busiest versions.</p>");
        }
        body.append("<h2>Active alerts</h2>").append(alertTable(d.activeAlerts()));
        return Html.page("Monitor", body.toString());
    }

    private static List<String> row(String version, MetricsSnapshot m) {
        return List.of(esc(version), String.valueOf(m.counts().requests()), String.valueOf(m.counts().errors()),
                number(m.errorRate(), "%.4f"), number(m.latency().p50Ms(), "%.2f"), number(m.latency().p95Ms(), "%.2f"),
                number(m.latency().p99Ms(), "%.2f"), number(m.quality().accuracy(), "%.4f"),
                String.valueOf(m.counts().withFeedback()), number(m.estimated().accuracy(), "%.4f"));
    }

    private static String chart(String title, String unit, List<String> hours, Map<String, List<MetricsSnapshot>> series,
                                Function<MetricsSnapshot, Double> value) {
        Map<String, double[]> lines = new LinkedHashMap<>();
        series.forEach((version, snapshots) -> {
            double[] v = new double[snapshots.size()];
            for (int i = 0; i < v.length; i++) {
                Double x = value.apply(snapshots.get(i));
                v[i] = x == null ? Double.NaN : x;
            }
            lines.put(version, v);
        });
        return "<div class=\"chart\">" + Svg.lineChart(title, unit, hours, lines) + "</div>";
    }

    String alerts() {
        return Html.page("Alerts", alertTable(monitor.activeAlerts()));
    }

    private static String alertTable(List<Alert> alerts) {
        if (alerts.isEmpty()) {
            return "<p class=\"good\">No active alert.</p>";
        }
        List<List<String>> rows = new ArrayList<>();
        for (Alert a : alerts) {
            rows.add(List.of(String.valueOf(a.id()), esc(TIME.format(a.openedAt())), "<span class=\"bad\">" + esc(a.severity())
                    + "</span>", esc(a.rule()), esc(a.metric()), number(a.value(), "%.4g"), number(a.threshold(), "%.4g"),
                    esc(a.modelVersion()), esc(a.message())));
        }
        return Html.table(List.of("id", "opened (UTC)", "severity", "rule", "metric", "value", "threshold", "version", "message"),
                rows);
    }

    /** The drift report page (a whole document of its own), or a page saying why there is none. */
    String drift() {
        if (reference == null) {
            return Html.page("Drift", "<p class=\"muted\">Start the console with driftReference(profile) to compare the logged"
                    + " inputs with a training profile.</p>");
        }
        try {
            return monitor.drift(Duration.ofHours(24), reference).toHtml();
        } catch (IllegalStateException nothingLogged) {
            return Html.page("Drift", "<p class=\"muted\">" + esc(nothingLogged.getMessage()) + ".</p>");
        }
    }
}
