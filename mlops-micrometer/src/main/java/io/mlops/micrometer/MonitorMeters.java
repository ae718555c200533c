package io.mlops.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.mlops.drift.DriftReport;
import io.mlops.drift.FeatureDrift;
import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The monitor's meters, read from its in-memory aggregates ({@link ModelMonitor#localMetrics}: this
 * process's share in a fleet, never a query of the store):
 *
 * <ul>
 *   <li>live: {@code mlops.monitor.queue.depth} (records logged and not yet taken by the writer),
 *       {@code mlops.monitor.records.rejected} and {@code mlops.monitor.records.dropped}
 *       (function counters);</li>
 *   <li>per model version over the window (tags {@code version}, {@code window}), gauges:
 *       {@code mlops.monitor.requests}, {@code .predictions}, {@code .errors}, {@code .feedback},
 *       {@code .error.rate}, {@code .throughput} (requests per second), {@code .latency} in seconds
 *       (tag {@code statistic}: {@code avg}, {@code p50}, {@code p95}, {@code p99}) and the quality
 *       metrics the feedback allows ({@code .accuracy}, {@code .precision}, {@code .recall},
 *       {@code .f1}, {@code .mae}, {@code .rmse});</li>
 *   <li>with a reference profile ({@link Builder#drift}), over the window and all versions:
 *       {@code mlops.monitor.drift.share} and per feature {@code mlops.monitor.drift.psi} and
 *       {@code mlops.monitor.drift.detected} (1 or 0).</li>
 * </ul>
 *
 * <p>The per-version and drift gauges are refreshed every {@link Builder#refreshInterval} (default
 * 30 s) by one daemon thread per binding — a drift report over the window's sketches at most that
 * often, not at every scrape; versions that leave the window leave the meters. A refresh that fails
 * (a window too small for a drift report) keeps the values before and is logged once. Thread-safe;
 * {@link #close()} stops the thread and removes the meters.
 *
 * @since 0.1.0
 */
public final class MonitorMeters implements MeterBinder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorMeters.class);

    private final ModelMonitor monitor;
    private final Duration window;
    private final Duration refresh;
    private final ReferenceProfile profile;
    private final String windowTag;
    private final List<Binding> bindings = new CopyOnWriteArrayList<>();

    private MonitorMeters(Builder b) {
        this.monitor = b.monitor;
        this.window = b.window;
        this.refresh = b.refresh;
        this.profile = b.profile;
        this.windowTag = window.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Starts the meters of a monitor.
     *
     * @param monitor the monitor
     * @return a builder
     */
    public static Builder builder(ModelMonitor monitor) {
        return new Builder(monitor);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Binding b = new Binding(Objects.requireNonNull(registry, "registry"));
        bindings.add(b);
        b.refresh();
        b.start();
    }

    /** Refreshes the per-version and drift gauges of every binding now (the thread does it every interval). */
    public void refresh() {
        bindings.forEach(Binding::refresh);
    }

    /** Stops the refreshing and removes the meters from every registry this was bound to. */
    @Override
    public void close() {
        bindings.forEach(Binding::close);
        bindings.clear();
    }

    /** One registry's meters and their refresher. */
    private final class Binding {
        private final MeterRegistry registry;
        private final List<Meter> fixed = new ArrayList<>();
        private final Map<String, MultiGauge> gauges = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile long dropped;
        private ScheduledExecutorService refresher;
        private volatile String lastFailure;

        Binding(MeterRegistry registry) {
            this.registry = registry;
            fixed.add(Gauge.builder("mlops.monitor.queue.depth", monitor, ModelMonitor::queuedRecords)
                    .description("Monitor records logged and not yet taken by the writer").register(registry));
            fixed.add(FunctionCounter.builder("mlops.monitor.records.rejected", monitor, ModelMonitor::rejectedRecords)
                    .description("Monitor records the store refused and set aside").register(registry));
            fixed.add(FunctionCounter.builder("mlops.monitor.records.dropped", this, b -> b.dropped)
                    .description("Monitor records dropped because the queue was full").register(registry));
        }

        private MultiGauge gauge(String name, String description, String unit) {
            return gauges.computeIfAbsent(name, n -> MultiGauge.builder(n).description(description).baseUnit(unit)
                    .register(registry));
        }

        synchronized void refresh() {
            try {
                Map<String, List<MultiGauge.Row<?>>> rows = new java.util.LinkedHashMap<>();
                for (String version : monitor.modelVersions(window)) {
                    MetricsSnapshot m = monitor.localMetrics(window, version);
                    Tags tags = Tags.of("version", version, "window", windowTag);
                    add(rows, "mlops.monitor.requests", tags, m.counts().requests());
                    add(rows, "mlops.monitor.predictions", tags, m.counts().predictions());
                    add(rows, "mlops.monitor.errors", tags, m.counts().errors());
                    add(rows, "mlops.monitor.feedback", tags, m.counts().withFeedback());
                    add(rows, "mlops.monitor.error.rate", tags, m.errorRate());
                    add(rows, "mlops.monitor.throughput", tags, m.throughputPerSecond());
                    add(rows, "mlops.monitor.accuracy", tags, m.quality().accuracy());
                    add(rows, "mlops.monitor.precision", tags, m.quality().precision());
                    add(rows, "mlops.monitor.recall", tags, m.quality().recall());
                    add(rows, "mlops.monitor.f1", tags, m.quality().f1());
                    add(rows, "mlops.monitor.mae", tags, m.quality().mae());
                    add(rows, "mlops.monitor.rmse", tags, m.quality().rmse());
                    add(rows, "mlops.monitor.estimated.accuracy", tags, m.estimated().accuracy());
                    add(rows, "mlops.monitor.estimated.precision", tags, m.estimated().precision());
                    add(rows, "mlops.monitor.estimated.recall", tags, m.estimated().recall());
                    add(rows, "mlops.monitor.estimated.f1", tags, m.estimated().f1());
                    add(rows, "mlops.monitor.latency", tags.and("statistic", "avg"), seconds(m.latency().avgMs()));
                    add(rows, "mlops.monitor.latency", tags.and("statistic", "p50"), seconds(m.latency().p50Ms()));
                    add(rows, "mlops.monitor.latency", tags.and("statistic", "p95"), seconds(m.latency().p95Ms()));
                    add(rows, "mlops.monitor.latency", tags.and("statistic", "p99"), seconds(m.latency().p99Ms()));
                }
                dropped = monitor.localMetrics(window, null).counts().dropped();
                for (String name : Names.WINDOWED) {
                    gauge(name, Names.description(name), name.equals("mlops.monitor.latency") ? "seconds" : null)
                            .register(rows.getOrDefault(name, List.of()), true);
                }
                if (profile != null) {
                    refreshDrift();
                }
                lastFailure = null;
            } catch (RuntimeException e) {
                if (!e.toString().equals(lastFailure)) {
                    lastFailure = e.toString();
                    LOG.warn("Could not refresh the monitor's meters (the values before are kept): {}", e.toString());
                }
            }
        }

        private void refreshDrift() {
            DriftReport report = monitor.drift(window, profile);
            List<MultiGauge.Row<?>> psi = new ArrayList<>();
            List<MultiGauge.Row<?>> detected = new ArrayList<>();
            for (Map.Entry<String, FeatureDrift> e : report.features().entrySet()) {
                FeatureDrift f = e.getValue();
                Tags tags = Tags.of("feature", e.getKey(), "window", windowTag);
                if (f.decision() != null) {
                    psi.add(MultiGauge.Row.of(tags, f.decision().psi()));
                }
                detected.add(MultiGauge.Row.of(tags, f.driftDetected() ? 1 : 0));
            }
            gauge("mlops.monitor.drift.share", "Share of features whose drift was detected over the window", null)
                    .register(List.of(MultiGauge.Row.of(Tags.of("window", windowTag), report.driftShare())), true);
            gauge("mlops.monitor.drift.psi", "Population stability index of a feature over the window", null)
                    .register(psi, true);
            gauge("mlops.monitor.drift.detected", "Whether a feature's drift was detected over the window (1) or not (0)", null)
                    .register(detected, true);
        }

        void start() {
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mlops-monitor-meters");
                t.setDaemon(true);
                return t;
            });
            refresher.scheduleWithFixedDelay(() -> {
                try {
                    refresh();
                } catch (Throwable e) { // a refresher that dies stops the gauges silently: never let it
                    LOG.warn("The monitor's meters could not be refreshed: {}", e.toString());
                }
            }, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
        }

        synchronized void close() {
            if (refresher != null) {
                refresher.shutdownNow();
            }
            fixed.forEach(registry::remove);
            for (MultiGauge g : gauges.values()) {
                g.register(List.of(), true);
            }
            gauges.clear();
        }
    }

    private static void add(Map<String, List<MultiGauge.Row<?>>> rows, String name, Tags tags, Number value) {
        if (value != null) {
            rows.computeIfAbsent(name, n -> new ArrayList<>()).add(MultiGauge.Row.of(tags, value));
        }
    }

    private static Double seconds(Double millis) {
        return millis == null ? null : millis / 1000.0;
    }

    /** The settings of {@link MonitorMeters}. Not thread-safe. */
    public static final class Builder {
        private final ModelMonitor monitor;
        private Duration window = Duration.ofHours(1);
        private Duration refresh = Duration.ofSeconds(30);
        private ReferenceProfile profile;

        private Builder(ModelMonitor monitor) {
            this.monitor = Objects.requireNonNull(monitor, "monitor");
        }

        /**
         * Sets the window of the per-version and drift gauges; default one hour.
         *
         * @param window at least one minute
         * @return this builder
         */
        public Builder window(Duration window) {
            if (window.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("the window must be at least a minute but was " + window);
            }
            this.window = window;
            return this;
        }

        /**
         * Sets how often the per-version and drift gauges are refreshed; default 30 seconds.
         *
         * @param interval at least 100 ms
         * @return this builder
         */
        public Builder refreshInterval(Duration interval) {
            if (interval.toMillis() < 100) {
                throw new IllegalArgumentException("the refresh interval must be at least 100 ms but was " + interval);
            }
            this.refresh = interval;
            return this;
        }

        /**
         * Adds the drift gauges: the window's inputs against a training profile (the monitor must
         * profile its inputs, as it does by default).
         *
         * @param reference the training profile
         * @return this builder
         */
        public Builder drift(ReferenceProfile reference) {
            this.profile = Objects.requireNonNull(reference, "reference");
            return this;
        }

        /**
         * Builds the meters, to bind with {@link MonitorMeters#bindTo(MeterRegistry)}.
         *
         * @return the meters
         */
        public MonitorMeters build() {
            return new MonitorMeters(this);
        }
    }

    /** The windowed gauges' names and descriptions. */
    private static final class Names {
        static final List<String> WINDOWED = List.of("mlops.monitor.requests", "mlops.monitor.predictions",
                "mlops.monitor.errors", "mlops.monitor.feedback", "mlops.monitor.error.rate", "mlops.monitor.throughput",
                "mlops.monitor.accuracy", "mlops.monitor.precision", "mlops.monitor.recall", "mlops.monitor.f1",
                "mlops.monitor.mae", "mlops.monitor.rmse", "mlops.monitor.estimated.accuracy", "mlops.monitor.estimated.precision",
                "mlops.monitor.estimated.recall", "mlops.monitor.estimated.f1", "mlops.monitor.latency");

        static String description(String name) {
            String what = name.substring("mlops.monitor.".length()).replace('.', ' ');
            return "The monitor's " + what + " of a model version over the window";
        }
    }
}
