package io.mlops.cli.internal;

import io.mlops.cli.MlopsCli;
import io.mlops.monitor.Alert;
import io.mlops.monitor.Dashboard;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mlops monitor ...}: what a monitor store holds, read from its stored totals (every instance's,
 * for a shared store): a SQLite file ({@code ROOT/monitor.db} by default) or PostgreSQL ({@code --jdbc}).
 */
@Command(name = "monitor",
        description = "Metrics, alerts and the dashboard of a monitor store (ROOT/monitor.db, another --db, or --jdbc).")
public final class MonitorCommand {

    @picocli.CommandLine.Mixin
    HelpOption helpOption = new HelpOption();

    @ParentCommand
    MlopsCli cli;

    @Spec
    CommandSpec spec;

    /** Where the store is. */
    static final class Where {
        @Option(names = "--db", paramLabel = "FILE", description = "A SQLite monitor file (default ROOT/monitor.db)")
        Path db;

        @Option(names = "--jdbc", paramLabel = "URL", description = "A PostgreSQL monitor store, e.g. jdbc:postgresql://host/db?user=u")
        String jdbc;
    }

    @ArgGroup(exclusive = true)
    Where where = new Where();

    /** Used by picocli. */
    public MonitorCommand() {
    }

    private ModelMonitor open() throws NoSuchFileException {
        MonitorStore store = new Stores(cli).monitor(where.db, where.jdbc, Stores.MissingFile.FAIL);
        return ModelMonitor.builder().store(store).defaultRules(false).build();
    }

    private Output output() {
        return new Output(spec.commandLine().getOut(), cli.json());
    }

    @Command(name = "metrics", description = "Metrics over a window, from the store (every instance's traffic).")
    int metrics(@picocli.CommandLine.Mixin HelpOption help, @Option(names = "--window", defaultValue = "PT24H", paramLabel = "DURATION",
                        description = "e.g. 30m, 1h, 7d, or ISO-8601 such as PT1H (default ${DEFAULT-VALUE})") Duration window,
                @Option(names = "--model-version", paramLabel = "VERSION", description = "One model version (default: all)") String version)
            throws NoSuchFileException {
        try (ModelMonitor monitor = open()) {
            output().object(fields(monitor.exactMetrics(window, version)));
        }
        return ExitCodes.OK;
    }

    @Command(name = "alerts", description = "The active alerts, newest first.")
    int alerts(@picocli.CommandLine.Mixin HelpOption help) throws NoSuchFileException {
        try (ModelMonitor monitor = open()) {
            List<List<Object>> rows = new ArrayList<>();
            for (Alert a : monitor.activeAlerts()) {
                rows.add(Arrays.asList(a.id(), a.openedAt(), a.severity(), a.rule(), a.modelVersion(), a.message()));
            }
            output().table(List.of("id", "opened_at", "severity", "rule", "model_version", "message"), rows);
        }
        return ExitCodes.OK;
    }

    @Command(name = "dashboard", description = "The last 24 hours, per version side by side, and the active alerts.")
    int dashboard(@picocli.CommandLine.Mixin HelpOption help) throws NoSuchFileException {
        try (ModelMonitor monitor = open()) {
            Dashboard d = monitor.dashboard();
            if (cli.json()) {
                spec.commandLine().getOut().println(d.toJson());
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            }
            List<List<Object>> rows = new ArrayList<>();
            rows.add(row("all", d.last24Hours()));
            d.byVersion().forEach((v, m) -> rows.add(row(v, m)));
            output().table(List.of("version", "requests", "errors", "error_rate", "accuracy", "p95_ms"), rows);
            output().say(d.activeAlerts().size() + " active alert(s)");
        }
        return ExitCodes.OK;
    }

    private static List<Object> row(String version, MetricsSnapshot m) {
        return Arrays.asList(version, m.counts().requests(), m.counts().errors(), round(m.errorRate()),
                round(m.quality().accuracy()), round(m.latency().p95Ms()));
    }

    private static Map<String, Object> fields(MetricsSnapshot m) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("from", m.from());
        f.put("to", m.to());
        f.put("model_version", m.modelVersion());
        f.put("requests", m.counts().requests());
        f.put("predictions", m.counts().predictions());
        f.put("errors", m.counts().errors());
        f.put("error_rate", round(m.errorRate()));
        f.put("with_feedback", m.counts().withFeedback());
        f.put("accuracy", round(m.quality().accuracy()));
        f.put("f1", round(m.quality().f1()));
        f.put("mae", round(m.quality().mae()));
        f.put("p50_ms", round(m.latency().p50Ms()));
        f.put("p95_ms", round(m.latency().p95Ms()));
        f.put("p99_ms", round(m.latency().p99Ms()));
        return f;
    }

    private static Double round(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return v; // no data (null) stays null, not a NullPointerException from unboxing
        }
        return Math.round(v * 1e6) / 1e6;
    }
}
