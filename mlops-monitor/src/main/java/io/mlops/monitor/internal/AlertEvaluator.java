package io.mlops.monitor.internal;

import io.mlops.core.StorageException;
import io.mlops.monitor.Alert;
import io.mlops.monitor.AlertRule;
import io.mlops.monitor.Metric;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.spi.MonitorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Evaluates the alert rules on the monitor's metrics: every {@code checkInterval} on its own thread
 * ({@code mlops-monitor-alerts}) and on {@link #checkNow()}. A rule's alert opens once while its
 * condition holds (stored, listeners called once, each guarded) and resolves when the condition
 * clears. Thread-safe (one lock over the open alerts).
 */
final class AlertEvaluator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

    private final MonitorStore store;
    private final MonitorSettings.Alerting settings;
    private final Clock clock;
    private final BiFunction<Duration, String, MetricsSnapshot> metrics;
    private final Object alertLock = new Object();
    private final Map<String, Alert> openByRule = new HashMap<>(); // guarded by alertLock
    private ScheduledExecutorService scheduler;
    private final String instance;
    private final BiFunction<Duration, io.mlops.drift.ReferenceProfile, io.mlops.drift.DriftReport> drift;
    private final ChangeRules changes; // guarded by alertLock

    AlertEvaluator(MonitorStore store, MonitorSettings.Alerting settings, Clock clock,
                   BiFunction<Duration, String, MetricsSnapshot> metrics, String instance,
                   BiFunction<Duration, io.mlops.drift.ReferenceProfile, io.mlops.drift.DriftReport> drift,
                   ChangeRules.Range range, ChangeRules.DriftRange driftRange) {
        this.changes = new ChangeRules(store, range, driftRange, settings.driftReference());
        this.instance = instance;
        this.drift = drift;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Takes the open alerts from the store. */
    void load() throws IOException {
        synchronized (alertLock) {
            for (Alert a : store.activeAlerts()) {
                openByRule.putIfAbsent(a.rule(), a);
            }
        }
    }

    /** Starts the periodic evaluation. */
    void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlops-monitor-alerts");
            t.setDaemon(true);
            return t;
        });
        long every = settings.checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::checkQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            LOG.warn("Alert check failed: {}", e.toString(), e);
        }
    }

    /**
     * Evaluates every rule now. The open alerts are read from the store first, so that alerts
     * opened or resolved by other monitors sharing it count here too.
     */
    void checkNow() {
        List<Alert> opened = new ArrayList<>();
        Map<Duration, io.mlops.drift.DriftReport> driftReports = new HashMap<>(); // one report per window and check
        synchronized (alertLock) {
            if (!settings.rules().isEmpty()) {
                refresh();
            }
            changes.beginCheck();
            for (AlertRule rule : settings.rules()) {
                MetricsSnapshot m = null;
                Double value;
                long samples;
                Boolean changed = null;
                if (rule.changeDetector() != null) {
                    ChangeRules.Observation o;
                    try {
                        o = changes.observe(rule, clock.millis());
                    } catch (IOException e) {
                        // this rule's state could not be read or kept: it waits for the next check, the others go on
                        LOG.warn("Change rule '{}' skipped this check: its state in {} could not be kept: {}", rule.name(), store,
                                e.toString());
                        continue;
                    }
                    if (o == null) {
                        continue; // nothing new: this window was observed (here or by another instance), or too thin
                    }
                    value = o.value();
                    samples = o.samples();
                    changed = o.changed();
                } else if (rule.metric().isDrift()) {
                    io.mlops.drift.DriftReport report = driftReports.computeIfAbsent(rule.window(), this::driftReport);
                    value = report == null ? null : DriftValues.of(report, rule);
                    samples = report == null ? 0 : report.currentRows();
                    if (rule.metric() == Metric.FEATURE_PSI && samples < DriftValues.psiMinRows(rule, settings.driftReference())) {
                        continue; // PSI's own small-sample bias could pass the threshold: wait for rows
                    }
                } else {
                    m = metrics.apply(rule.window(), rule.modelVersion());
                    value = m.value(rule.metric());
                    samples = m.samples(rule.metric());
                }
                if (value == null || samples < rule.minSamples()) {
                    continue; // not enough data to say either way: keep the alert's state
                }
                Alert open = openByRule.get(rule.name());
                boolean breached = changed != null ? changed : rule.breached(value);
                if (breached && open == null) {
                    Alert a = openLocked(rule, value, message(rule, value, samples));
                    if (a != null) {
                        opened.add(a);
                    }
                } else if (!breached && open != null) {
                    try {
                        store.resolveAlert(open.id(), clock.millis());
                    } catch (IOException e) {
                        throw new StorageException("Cannot store an alert in " + store + ": " + e.getMessage(), e);
                    }
                    openByRule.remove(rule.name());
                    LOG.info("Alert {} resolved: {} is {} again", open.id(), rule.metric(), value);
                }
            }
        }
        notifyOpened(opened);
    }

    /**
     * Opens an alert of a rule the monitor does not evaluate itself, unless one is open.
     *
     * @return the alert opened, or the one already open
     */
    Alert raise(AlertRule rule, double value, String message) {
        java.util.Objects.requireNonNull(rule, "rule");
        java.util.Objects.requireNonNull(message, "message");
        Alert a;
        synchronized (alertLock) {
            refresh();
            Alert open = openByRule.get(rule.name());
            if (open != null) {
                return open;
            }
            a = openLocked(rule, value, message);
            if (a == null) {
                return openByRule.get(rule.name());
            }
        }
        notifyOpened(List.of(a));
        return a;
    }

    /** Stores a new open alert (holding alertLock); null when another monitor of the fleet opened it first. */
    private Alert openLocked(AlertRule rule, double value, String message) {
        Alert a = new Alert(0, rule.name(), rule.metric(), rule.severity(), message, value, rule.threshold(),
                rule.modelVersion(), clock.instant(), null);
        java.util.OptionalLong id;
        try {
            id = store.openAlert(a);
        } catch (IOException e) {
            throw new StorageException("Cannot store an alert in " + store + ": " + e.getMessage(), e);
        }
        if (id.isEmpty()) {
            refresh(); // another monitor of the fleet opened it just now
            return null;
        }
        a = new Alert(id.getAsLong(), a.rule(), a.metric(), a.severity(), a.message(), a.value(), a.threshold(),
                a.modelVersion(), a.openedAt(), null);
        openByRule.put(rule.name(), a);
        return a;
    }

    private void notifyOpened(List<Alert> opened) {
        for (Alert a : opened) {
            LOG.warn("Alert {}: {}", a.id(), a.message());
            for (Consumer<Alert> l : settings.listeners()) {
                try {
                    l.accept(a);
                } catch (RuntimeException e) {
                    LOG.warn("Alert listener {} failed on alert {}: {}", l, a.id(), e.toString(), e);
                }
            }
        }
    }

    /** Replaces the open alerts with the store's (called holding alertLock). */
    private void refresh() {
        List<Alert> active;
        try {
            active = store.activeAlerts();
        } catch (IOException e) {
            throw new StorageException("Cannot read alerts from " + store + ": " + e.getMessage(), e);
        }
        openByRule.clear();
        for (Alert a : active) {
            openByRule.putIfAbsent(a.rule(), a);
        }
    }


    /** The drift of the logged inputs over a window, or null when nothing was logged in it (or profiles are off). */
    private io.mlops.drift.DriftReport driftReport(Duration window) {
        try {
            return drift.apply(window, settings.driftReference());
        } catch (IllegalStateException noInputs) {
            return null;
        }
    }

    private String message(AlertRule rule, double value, long samples) {
        String unit = rule.metric().isLatency() ? " ms" : "";
        if (rule.changeDetector() != null) {
            return String.format(java.util.Locale.ROOT, "%s changed for the worse (%s): %.4g%s over the last %s (%d samples)%s",
                    rule.metric(), rule.changeDetector(), value, unit, rule.window(), samples,
                    rule.modelVersion() == null ? "" : " for model version " + rule.modelVersion())
                    + (instance == null ? "" : " (fleet totals, found by instance " + instance + ")");
        }
        String what = rule.metric() + (rule.metric() != Metric.FEATURE_PSI ? "" : rule.feature() != null
                ? " of " + rule.feature() : " (largest of the features)");
        return String.format(java.util.Locale.ROOT, "%s is %.4g%s, %s the threshold %.4g%s, over the last %s (%d samples)%s",
                what, value, unit, rule.above() ? "above" : "below", rule.threshold(), unit, rule.window(),
                samples, rule.modelVersion() == null ? "" : " for model version " + rule.modelVersion())
                + (instance == null ? "" : " (fleet totals, found by instance " + instance + ")");
    }

    /**
     * @return the active alerts, newest first
     */
    List<Alert> activeAlerts() {
        try {
            return List.copyOf(store.activeAlerts());
        } catch (IOException e) {
            throw new StorageException("Cannot read alerts from " + store + ": " + e.getMessage(), e);
        }
    }

    /**
     * Tells whether the alert was active.
     *
     * @return {@code true} when the alert was active
     */
    boolean resolve(long alertId) {
        synchronized (alertLock) {
            try {
                boolean resolved = store.resolveAlert(alertId, clock.millis());
                openByRule.values().removeIf(a -> a.id() == alertId);
                return resolved;
            } catch (IOException e) {
                throw new StorageException("Cannot resolve alert " + alertId + " in " + store + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
