package io.mlops.monitor.internal;

import io.mlops.core.StorageException;
import io.mlops.monitor.Alert;
import io.mlops.monitor.AlertRule;
import io.mlops.monitor.Dashboard;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.PredictionLog;
import io.mlops.monitor.Task;
import io.mlops.monitor.spi.ErrorRecord;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.monitor.spi.PredictionRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The {@link ModelMonitor}.
 *
 * <p>Threads: callers check and serialise their records, update the aggregates (one lock) and queue
 * the records; the {@link WriteBehind} queue's writer thread stores them; one scheduler thread
 * ({@code mlops-monitor-alerts}) evaluates the rules. Records stay in the pending maps until their
 * batch commits, so feedback always finds its prediction, written or not.
 */
public final class DefaultModelMonitor implements ModelMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultModelMonitor.class);
    static final int ID_BLOCK = 10_000;

    private final MonitorStore store;
    private final Task task;
    private final String positive;
    private final Duration horizon;
    private final Clock clock;

    private final Aggregates aggregates = new Aggregates(); // guarded by itself
    private final LiveProfiles profiles; // null when inputs are not profiled
    private final Correctness correctness; // null without a performance estimator
    private final io.mlops.drift.ReferenceProfile driftReference; // the drift rules' reference, or null
    private final ProfilePersistence savedProfiles; // null without profiles or with the in-memory store
    private final WriteBehind writes;
    private final FeedbackPath feedbacks;
    private final AlertEvaluator alerts;
    /** The store's per-minute and per-hour totals, when it keeps them. */
    private final java.util.Optional<StoredTotals> totals;
    /** Set when the monitor describes a fleet sharing a store that keeps totals (built with an instance name). */
    private final StoredTotals fleet;
    private volatile boolean closed;

    private final IdBlocks ids; // null when the store only reads
    private final boolean readOnly;

    /**
     * Used by {@link ModelMonitor.Builder#build()}.
     *
     * @param settings the builder's settings
     */
    public DefaultModelMonitor(MonitorSettings settings) {
        this.store = settings.store();
        this.driftReference = settings.alerting().driftReference();
        this.task = settings.labels().task();
        this.positive = Labels.normalize(settings.labels().positiveLabel());
        this.horizon = settings.horizon();
        this.clock = settings.clock();
        this.correctness = settings.estimation().performance() == null ? null
                : new Correctness(settings.estimation().performance(), positive);
        this.feedbacks = new FeedbackPath(store, clock, horizon, settings.labels().feedbackPolicy(), aggregates);
        this.totals = StoredTotals.of(store);
        this.fleet = settings.instance() == null ? null : totals.orElseThrow(() -> new IllegalArgumentException(
                "a fleet instance needs a store shared by processes that keeps totals (MonitorStore.jdbc); " + store + " does not"));
        this.profiles = settings.profileInputs() ? new LiveProfiles(settings.horizon(), settings.predictionColumn(),
                settings.liveDrift(), settings.estimation().multivariate(), settings.estimation().multivariateRows()) : null;
        this.savedProfiles = profiles == null || !store.keepsProfiles() ? null
                : new ProfilePersistence(store, profiles, settings.instance());
        this.alerts = new AlertEvaluator(store, settings.alerting(), clock, this::metrics, settings.instance(), this::drift,
                this::metricsBetween, this::driftBetween);
        load();
        this.readOnly = store.readOnly();
        ids = readOnly ? null : new IdBlocks(store, ID_BLOCK);
        writes = new WriteBehind(store, settings.queue().capacity(), settings.queue().policy(), feedbacks::settled,
                settings.queue().stallTimeout());
        feedbacks.queueTo(writes::offer);
        if (readOnly) {
            LOG.warn("The monitor on {} only reads: metrics, alerts and dashboards work; logging is refused", store);
            return; // no rule checks and no saved profiles: both write
        }
        if (savedProfiles != null) {
            savedProfiles.start(clock.millis() - horizon.toMillis());
        }
        alerts.start();
    }

    /** Rebuilds the aggregates of the horizon and the open alerts from the store. */
    private void load() {
        long now = clock.millis();
        long from = Aggregates.bucketOf(now - horizon.toMillis());
        try {
            long[] loaded = StoredMetrics.load(store, totals, from, aggregates);
            if (loaded[0] > 0) {
                LOG.info("Monitor loaded {} predictions and {} errors of the last {} from {}", loaded[0], loaded[1],
                        horizon, store);
            }
            alerts.load();
        } catch (IOException e) {
            throw new StorageException("Cannot load the monitor's history from " + store + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ logging

    @Override
    public PredictionLog prediction() {
        return new DefaultPredictionLog(this::record);
    }

    /** Stores a prediction that {@link DefaultPredictionLog} checked and serialised. */
    private long record(DefaultPredictionLog.Checked c) {
        ensureWritable();
        long id = ids.next();
        long now = clock.millis();
        String predicted = correctness == null ? null : Labels.normalize(c.output());
        Double expectedCorrect = correctness == null ? null : correctness.of(predicted, c.probability());
        PredictionRecord r = new PredictionRecord(id, now, c.version(), c.inputJson(), c.outputJson(), c.probability(),
                c.latencyMicros(), c.user(), c.traceId(), expectedCorrect);
        feedbacks.pendingPredictions.put(id, r);
        if (!writes.offer(new Queued.Prediction(r))) {
            feedbacks.pendingPredictions.remove(id);
            return -1;
        }
        aggregates.prediction(now, c.version(), c.latencyMicros(), predicted, expectedCorrect);
        if (profiles != null && (c.input() != null || c.output() != null)) {
            profiles.observe(now, c.input(), c.output());
        }
        return id;
    }

    @Override
    public void feedback(long predictionId, Object actual) {
        ensureWritable();
        feedbacks.feedback(predictionId, actual);
    }

    @Override
    public void error(String modelVersion, String message) {
        ensureWritable();
        String versionText = RecordChecks.text(modelVersion, RecordChecks.MAX_NAME_CHARS, "modelVersion");
        long now = clock.millis();
        if (writes.offer(new Queued.Failure(new ErrorRecord(now, versionText, RecordChecks.message(message))))) {
            aggregates.error(now, versionText);
        }
    }

    @Override
    public void flush() {
        ensureOpen();
        if (readOnly) {
            return; // nothing is ever queued
        }
        writes.flush();
        if (savedProfiles != null) {
            savedProfiles.save();
        }
    }

    @Override
    public long rejectedRecords() {
        return writes.rejected();
    }

    // ------------------------------------------------------------------ metrics

    private long[] window(Duration window) {
        return MetricWindows.of(clock.millis(), window);
    }

    private MetricsSnapshot snapshot(Aggregates source, long from, long to, String modelVersion) {
        return source.snapshot(from, to, modelVersion, task, positive, writes.dropped(), feedbacks.unknown.get());
    }

    private MetricsSnapshot stored(long from, long to, String modelVersion) {
        return StoredMetrics.exact(store, totals, from, to, modelVersion, task, positive, writes.dropped(), feedbacks.unknown.get());
    }

    /** The metrics of [from, to), minute-aligned: the fleet's totals from the store, else this monitor's own. */
    private MetricsSnapshot metricsBetween(long from, long to, String modelVersion) {
        return fleet != null ? stored(from, to, modelVersion) : snapshot(aggregates, from, to, modelVersion);
    }

    @Override
    public MetricsSnapshot metrics(Duration window) {
        return metrics(window, null);
    }

    @Override
    public MetricsSnapshot metrics(Duration window, String modelVersion) {
        long[] w = window(window);
        if (fleet != null) {
            return stored(w[0], w[1], modelVersion);
        }
        return snapshot(aggregates, w[0], w[1], modelVersion);
    }

    @Override
    public List<Long> predictionsOfTrace(String traceId) {
        if (!DefaultPredictionLog.isTraceId(traceId)) {
            throw new IllegalArgumentException("a trace id is 32 lowercase hexadecimal digits, not all zeros");
        }
        try {
            return store.predictionsOfTrace(traceId);
        } catch (IOException e) {
            throw new StorageException("Cannot read the monitor store " + store + ": " + e.getMessage(), e);
        }
    }

    @Override
    public java.util.Optional<String> traceOf(long predictionId) {
        try {
            return store.traceOf(predictionId);
        } catch (IOException e) {
            throw new StorageException("Cannot read the monitor store " + store + ": " + e.getMessage(), e);
        }
    }

    @Override
    public MetricsSnapshot localMetrics(Duration window, String modelVersion) {
        long[] w = window(window);
        return snapshot(aggregates, w[0], w[1], modelVersion);
    }

    @Override
    public java.util.SortedSet<String> modelVersions(Duration window) {
        long[] w = window(window);
        return aggregates.versions(w[0], w[1]);
    }

    @Override
    public int queuedRecords() {
        return readOnly ? 0 : writes.depth();
    }

    @Override
    public List<MetricsSnapshot> timeline(Duration window, Duration step, String modelVersion) {
        long[] starts = MetricWindows.stepStarts(clock.millis(), window, step);
        Aggregates source = aggregates;
        if (fleet != null) {
            // the fleet's minute and hour totals of the whole window in one read, then the steps from them
            source = new Aggregates();
            try {
                StoredMetrics.load(store, totals, starts[0], source);
            } catch (IOException e) {
                throw new StorageException("Cannot read the monitor store " + store + ": " + e.getMessage(), e);
            }
        }
        return source.steps(starts, step.toMillis(), modelVersion, task, positive, writes.dropped(), feedbacks.unknown.get());
    }

    @Override
    public MetricsSnapshot exactMetrics(Duration window, String modelVersion) {
        long[] w = window(window);
        writes.flush();
        return stored(w[0], w[1], modelVersion);
    }

    @Override
    public io.mlops.drift.DriftReport drift(Duration window, io.mlops.drift.ReferenceProfile profile) {
        if (profiles == null) {
            throw new IllegalStateException("this monitor was built with profileInputs(false): it keeps no input profiles");
        }
        long[] w = window(window);
        return profiles.report(w[0], w[1], window, profile,
                savedProfiles == null ? java.util.List.of() : savedProfiles.others(w[0], w[1]));
    }

    /** The drift of the inputs logged in [from, to) against the rules' reference, or null when none were (or no profiles). */
    private io.mlops.drift.DriftReport driftBetween(long from, long to) {
        if (profiles == null || driftReference == null) {
            return null;
        }
        try {
            return profiles.report(from, to, Duration.ofMillis(to - from), driftReference,
                    savedProfiles == null ? java.util.List.of() : savedProfiles.others(from, to));
        } catch (IllegalStateException noInputs) {
            return null;
        }
    }

    // ------------------------------------------------------------------ alerts

    @Override
    public void checkNow() {
        ensureWritable();
        alerts.checkNow();
    }

    @Override
    public List<Alert> activeAlerts() {
        return alerts.activeAlerts();
    }

    @Override
    public io.mlops.core.EventFeed alertFeed() {
        return new AlertFeed(store);
    }

    @Override
    public Alert raise(AlertRule rule, double value, String message) {
        ensureWritable();
        return alerts.raise(rule, value, message);
    }

    @Override
    public boolean resolve(long alertId) {
        ensureWritable();
        return alerts.resolve(alertId);
    }

    @Override
    public Dashboard dashboard() {
        long dayEnd = Aggregates.bucketOf(clock.millis()) + Aggregates.BUCKET_MILLIS;
        DashboardView.Source source = fleet != null ? DashboardView.of(fleet) : DashboardView.of(aggregates);
        return DashboardView.build(clock.instant(), dayEnd, activeAlerts(), source, this::metrics);
    }

    @Override
    public long purgeOlderThan(Duration age) {
        ensureWritable();
        long cutoff = clock.millis() - age.toMillis();
        writes.flush();
        aggregates.evictBefore(cutoff);
        try {
            return store.purge(cutoff);
        } catch (IOException e) {
            throw new StorageException("Cannot purge " + store + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ lifecycle

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the monitor is closed");
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (readOnly) {
            throw new io.mlops.core.ReadOnlyException("The monitor on " + store + " was opened read-only (its volume is"
                    + " nearly full): it answers metrics, alerts and dashboards but cannot log or change alerts");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            alerts.close();
            if (ids != null) {
                ids.close();
            }
            writes.close();
            if (savedProfiles != null) {
                savedProfiles.close();
            }
        } finally {
            store.close();
        }
    }

    @Override
    public String toString() {
        return "ModelMonitor[" + store + "]";
    }
}
