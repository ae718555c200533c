package io.mlops.monitor;

import io.mlops.monitor.internal.DefaultModelMonitor;
import io.mlops.monitor.internal.MonitorSettings;
import io.mlops.monitor.spi.MonitorStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Monitors a model in production: logs predictions, joins ground truth, keeps metrics, raises
 * alerts.
 *
 * <pre>{@code
 * ModelMonitor monitor = ModelMonitor.builder()
 *         .store(MonitorStore.sqlite(Path.of("monitor.db")))
 *         .threshold(Metric.ACCURACY, 0.80)
 *         .onAlert(alert -> pager.send(alert.message()))
 *         .build();
 * long id = monitor.prediction().input(features).output(1).probability(0.83)
 *         .latency(Duration.ofMillis(12)).modelVersion("1.0.0").log();
 * monitor.feedback(id, 1);                      // later, when the truth is known
 * MetricsSnapshot m = monitor.metrics(Duration.ofHours(1));
 * }</pre>
 *
 * <p><b>Cheap logging.</b> {@code log()} updates in-memory, time-bucketed aggregates and queues the
 * record; a writer thread stores queued records in batches (one transaction each). The queue is
 * bounded ({@link Builder#queueCapacity}); when full, {@link QueuePolicy} decides. {@link #flush()}
 * returns once everything logged before it is durable.
 *
 * <p><b>Metrics</b> come from the aggregates (one-minute buckets per model version), never from a
 * table scan; {@link #exactMetrics} recomputes them from the store, and agrees. Quality metrics
 * count the predictions made in the window that have feedback. Labels compare by value:
 * {@code true} is 1 and {@code false} 0, numbers compare numerically ({@code 1}, {@code 1.0},
 * {@code "1"} are one label), other strings as they are.
 *
 * <p><b>Alerts</b> are evaluated every {@link Builder#checkInterval} and on {@link #checkNow()}: a
 * rule's alert opens once while its condition holds (listeners are called once), and resolves
 * itself when the condition clears.
 *
 * <p>Thread-safe. {@link #close()} flushes and stops every thread the monitor started.
 *
 * @since 0.1.0
 */
public interface ModelMonitor extends AutoCloseable {

    /**
     * @return a builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * @return a prediction to fill in and {@link PredictionLog#log()}
     */
    PredictionLog prediction();

    /**
     * Records the ground truth of a prediction. A second feedback for the same id replaces the first.
     *
     * @param predictionId the id {@code log()} returned
     * @param actual the true label or value
     * @throws UnknownPredictionException when the id is unknown and the policy is REJECT
     * @throws IllegalArgumentException when {@code actual} cannot be stored as JSON (see
     *     {@link PredictionLog#log()} for the limits)
     */
    void feedback(long predictionId, Object actual);

    /**
     * Records a failed request; it counts toward the error rate. The message is kept as diagnostic
     * text: cut to 4,096 characters, NUL characters replaced.
     *
     * @param modelVersion the version that failed, or null
     * @param message what went wrong
     * @throws IllegalArgumentException when the version holds a NUL character or is over 256 characters
     */
    void error(String modelVersion, String message);

    /**
     * @param window how far back from now
     * @return metrics over all model versions
     */
    MetricsSnapshot metrics(Duration window);

    /**
     * @param window how far back from now
     * @param modelVersion a model version
     * @return metrics of that version only
     */
    MetricsSnapshot metrics(Duration window, String modelVersion);

    /**
     * The predictions logged under a trace ({@link PredictionLog#traceId}; the prediction server
     * sets it from each request's span): the way from a trace in the tracing backend to the
     * predictions it made. Reads the store: records still queued are found after {@link #flush()}.
     *
     * @param traceId 32 lowercase hexadecimal digits
     * @return the prediction ids, oldest first, at most 1,000
     * @throws IllegalArgumentException when it is not a valid trace id
     * @since 0.1.0
     */
    List<Long> predictionsOfTrace(String traceId);

    /**
     * The trace a prediction was made in: the way from a prediction (its id in the response and in
     * feedback) to its trace. Reads the store, as {@link #predictionsOfTrace} does.
     *
     * @param predictionId a prediction id
     * @return its trace id, empty when it has none or is not stored
     * @since 0.1.0
     */
    java.util.Optional<String> traceOf(long predictionId);

    /**
     * Metrics of this process's own aggregates, never read from the store: the predictions, errors
     * and feedback this monitor logged (and those it loaded at start). Without a fleet it equals
     * {@link #metrics(Duration, String)}; in a fleet it is this instance's share — what a
     * per-instance metrics registry should report (the Micrometer binding polls it), leaving the
     * sum to the metrics backend. Cheap: no I/O, safe to call at every scrape.
     *
     * @param window how far back from now
     * @param modelVersion a model version, or null for all
     * @return the metrics
     * @since 0.1.0
     */
    MetricsSnapshot localMetrics(Duration window, String modelVersion);

    /**
     * The model versions with requests in a window, in this process's aggregates (as
     * {@link #localMetrics}).
     *
     * @param window how far back from now
     * @return the versions, sorted
     * @since 0.1.0
     */
    java.util.SortedSet<String> modelVersions(Duration window);

    /**
     * The records logged and not yet taken by the writer thread: the write-behind queue's depth
     * (at most {@link Builder#queueCapacity}); 0 for a monitor that only reads.
     *
     * @return the depth
     * @since 0.1.0
     */
    int queuedRecords();

    /**
     * Returns metrics step by step over a window, oldest first — the series a dashboard charts
     * (requests, error rate, latency percentiles, accuracy per hour). Each step is computed as
     * {@link #metrics(Duration, String)} computes a window: from this monitor's minute totals, or in
     * a fleet from the store's.
     *
     * @param window how far back, a whole number of steps, at most 1,440 steps
     * @param step the length of one step, at least one minute and a whole number of minutes
     * @param modelVersion a model version, or null for all
     * @return one snapshot per step, oldest first
     * @throws IllegalArgumentException when the window is not a positive multiple of the step, or too many steps
     */
    List<MetricsSnapshot> timeline(Duration window, Duration step, String modelVersion);

    /**
     * Recomputes metrics from the store (after a flush), over the same bucket-aligned window as
     * {@link #metrics}; covers every process writing to the store. Reads the window's rows.
     *
     * @param window how far back from now
     * @param modelVersion a model version, or null for all
     * @return the metrics
     */
    MetricsSnapshot exactMetrics(Duration window, String modelVersion);

    /**
     * Compares the input features logged in a window (all model versions) with a training profile,
     * from sketches kept while logging — no raw input is kept or re-read. Per hour the monitor keeps a
     * KLL quantile sketch (Apache DataSketches, k = 200: rank error about 1.3% with 99% confidence)
     * of each numeric feature and a frequent-items sketch of each categorical one; the window's hours
     * are merged, a stand-in sample of at most 2,000 rows with the same distributions is drawn from
     * them (quantiles; category shares), and the drift detector compares it with the profile. So the
     * statistics approximate those of the logged data: the KS distance within the sketch's rank error
     * plus 1/2,000, the category shares within the same error, and PSI within {@code 0.01 + 25%} of
     * the exact PSI at every level (measured: at most 0.01 below PSI 0.1, 0.03 at 0.25, 0.10 at 1, 19%
     * of PSI above that — the rank error weighs most on the bins a large shift nearly empties). The
     * judgement ({@link Builder#driftSettings}) is at 0.01 after a Bonferroni correction across features
     * by default. P-values are computed at the
     * stand-in's size: for windows of many more than 2,000 rows that makes them conservative (fewer
     * false alarms than the exact test on every row); for smaller windows they approximate the exact
     * ones and may come out somewhat lower. Each monitor keeps its hours in memory for its horizon
     * and, with a SQL store, writes the hours that changed to it every minute (and on {@link #flush}
     * and {@link #close}); a window then merges the stored hours of every other writer — the same
     * process before a restart, the other instances of a fleet — with its own. A monitor built with
     * an {@code instance} name takes its stored hours back when it starts. Hours are the profiles'
     * unit, so a window starts at a whole hour. With {@link Builder#multivariateDrift} the report's
     * {@code multivariate()} is that method's verdict on the window's sampled input rows.
     *
     * @param window how far back, at least one minute
     * @param profile the training data's profile ({@code DriftDetector.builder(trainingData).build().profile()})
     * @return the drift report
     * @throws IllegalStateException when no prediction with input features was logged in the window
     */
    io.mlops.drift.DriftReport drift(Duration window, io.mlops.drift.ReferenceProfile profile);

    /**
     * @return the active alerts, newest first
     */
    List<Alert> activeAlerts();

    /**
     * The alerts this monitor's store committed — by its rules (metrics, drift, change detection),
     * by {@link #raise} (an aborted canary's alert) and by every monitor sharing the store — as an
     * {@link io.mlops.core.EventFeed} named {@code alerts}, one {@code ALERT_OPENED} event per alert
     * at its id, for a webhook subscription:
     *
     * <pre>{@code
     * registry.webhooks().subscribe("on-call", URI.create("https://hooks.example/mlops"), secret, monitor.alertFeed());
     * }</pre>
     *
     * The store's alerts table is the outbox: an alert is in it once it committed, so it is
     * delivered however the process that opened it ended. Alerts purged before they were delivered
     * (resolved and past the retention) are not. A store that does not implement
     * {@link io.mlops.monitor.spi.MonitorStore#alertsAfter} feeds only the alerts still open.
     *
     * @return the feed (reads the store; cheap to call)
     */
    io.mlops.core.EventFeed alertFeed();

    /**
     * Opens an alert for a condition found outside this monitor's own rules — a failed canary
     * analysis, a batch job's check — through the same pipeline: stored, the listeners called once,
     * and at most one open alert per rule name (shared with the other monitors of a fleet). If an
     * alert of that rule is already open, it is returned and nothing else happens. The monitor never
     * resolves such an alert by itself (it evaluates only its own rules); {@link #resolve} does.
     *
     * @param rule names the alert and gives its metric, threshold, severity and model version
     * @param value the value observed
     * @param message what happened, for people (the listeners and {@link Alert#message()})
     * @return the open alert
     */
    Alert raise(AlertRule rule, double value, String message);

    /**
     * Resolves an alert by hand.
     *
     * @param alertId the alert
     * @return {@code true} when it was active
     */
    boolean resolve(long alertId);

    /** Evaluates every alert rule now. */
    void checkNow();

    /**
     * @return metrics over 24 hours, the newest active alerts and requests per hour
     */
    Dashboard dashboard();

    /**
     * Deletes predictions, feedback, errors and resolved alerts older than the given age.
     *
     * @param age how old
     * @return the number of prediction rows deleted
     */
    long purgeOlderThan(Duration age);

    /** The default {@link Builder#stallTimeout}: 60 seconds. */
    Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Waits until everything logged before this call is durable in the store, or set aside because
     * the store refused it (see {@link #rejectedRecords()}). A store that is slow but storing is
     * waited for; one that keeps failing (a full disk, a lost database) without a successful write
     * while this call waits {@link Builder#stallTimeout} makes it throw, naming the store's last
     * error, while the records stay queued and retried.
     *
     * @throws io.mlops.core.StorageException when the store has failed for the stall timeout, or
     *     still fails as the monitor closes
     */
    void flush();

    /**
     * Records the store refused and the monitor set aside. The monitor checks every record when it
     * is logged, so this stays 0 unless a store refuses data the checks let through (a database
     * constraint of its own, say): the batch is then written in parts, every other record is stored,
     * and the refused one is logged at ERROR and counted here, never retried.
     *
     * @return how many records were set aside since the monitor was built
     */
    long rejectedRecords();

    /** Flushes, stops the writer and the scheduler, and closes the store. */
    @Override
    void close();

    /** Builds a {@link ModelMonitor}. Setters reject bad values at once. Not thread-safe. */
    final class Builder {
        private MonitorStore store;
        private final Map<Metric, Double> thresholds = new EnumMap<>(Metric.class);
        private final List<AlertRule> rules = new ArrayList<>();
        private final List<Consumer<Alert>> listeners = new ArrayList<>();
        private boolean defaultRules = true;
        private Task task = Task.CLASSIFICATION;
        private Object positiveLabel = 1;
        private int queueCapacity = 100_000;
        private QueuePolicy queuePolicy = QueuePolicy.BLOCK;
        private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
        private FeedbackPolicy feedbackPolicy = FeedbackPolicy.REJECT;
        private Duration checkInterval = Duration.ofMinutes(1);
        private Duration horizon = Duration.ofDays(7);
        private long minSamples = AlertRule.DEFAULT_MIN_SAMPLES;
        private Clock clock = Clock.systemUTC();
        private String instance;
        private boolean profileInputs = true;
        private String predictionColumn = "prediction";
        private io.mlops.drift.ReferenceProfile driftReference;
        private LiveDrift liveDrift = LiveDrift.defaults();
        private PerformanceEstimator performanceEstimator;
        private io.mlops.drift.MultivariateDrift multivariate;
        private int multivariateRows;

        private Builder() {
            thresholds.put(Metric.ACCURACY, 0.80);
            thresholds.put(Metric.PRECISION, 0.70);
            thresholds.put(Metric.RECALL, 0.70);
            thresholds.put(Metric.P95_LATENCY, 1000.0);
            thresholds.put(Metric.ERROR_RATE, 0.05);
        }

        /**
         * Sets where records go (default: an in-memory store).
         *
         * @param store where records go (default: an in-memory store)
         * @return this
         */
        public Builder store(MonitorStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Sets a default rule's threshold: accuracy, precision and recall alert below it, latency
         * and error rate above it. Defaults as in the reference: accuracy 0.8, precision 0.7, recall
         * 0.7, p95 latency 1000 ms, error rate 0.05.
         *
         * @param metric one of ACCURACY, PRECISION, RECALL, F1, P95_LATENCY, P99_LATENCY, ERROR_RATE
         * @param value the threshold (milliseconds for latency)
         * @return this
         */
        public Builder threshold(Metric metric, double value) {
            Objects.requireNonNull(metric, "metric");
            if (!Double.isFinite(value) || value < 0) {
                throw new IllegalArgumentException("threshold for " + metric + " must be finite and >= 0 but was " + value);
            }
            thresholds.put(metric, value);
            return this;
        }

        /**
         * Sets an additional alert rule.
         *
         * @param rule an additional alert rule
         * @return this
         */
        public Builder rule(AlertRule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Sets whether the threshold rules apply (default true).
         *
         * @param enabled whether the threshold rules apply (default true)
         * @return this
         */
        public Builder defaultRules(boolean enabled) {
            this.defaultRules = enabled;
            return this;
        }

        /**
         * Sets called once per alert opening, on the thread that evaluated the rules; a listener that throws is logged and ignored.
         *
         * @param listener called once per alert opening, on the thread that evaluated the rules;
         *     a listener that throws is logged and ignored
         * @return this
         */
        public Builder onAlert(Consumer<Alert> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Sets classification (default) or regression.
         *
         * @param task classification (default) or regression
         * @return this
         */
        public Builder task(Task task) {
            this.task = Objects.requireNonNull(task, "task");
            return this;
        }

        /**
         * Sets the positive label for binary precision and recall (default 1, which equals true).
         *
         * @param label the positive label for binary precision and recall (default 1, which equals true)
         * @return this
         */
        public Builder positiveLabel(Object label) {
            this.positiveLabel = Objects.requireNonNull(label, "label");
            return this;
        }

        /**
         * Sets the write queue's capacity, {@code >= 1} (default 100,000).
         *
         * @param capacity the write queue's capacity, {@code >= 1} (default 100,000)
         * @return this
         */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1 but was " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * Sets how long {@link ModelMonitor#flush()} waits on a store that keeps failing (a full
         * disk, a lost database) without a successful write before it throws (default 60 s). The
         * records stay queued and are retried; only the wait ends.
         *
         * @param timeout how long a failing store holds up {@code flush()}, positive
         * @return this
         */
        public Builder stallTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("stallTimeout must be positive but was " + timeout);
            }
            this.stallTimeout = timeout;
            return this;
        }

        /**
         * Sets what log() does when the queue is full (default BLOCK).
         *
         * @param policy what log() does when the queue is full (default BLOCK)
         * @return this
         */
        public Builder queuePolicy(QueuePolicy policy) {
            this.queuePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets what feedback() does with unknown ids (default REJECT).
         *
         * @param policy what feedback() does with unknown ids (default REJECT)
         * @return this
         */
        public Builder feedbackPolicy(FeedbackPolicy policy) {
            this.feedbackPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets how often the rules are evaluated in the background (default 1 minute).
         *
         * @param interval how often the rules are evaluated in the background (default 1 minute)
         * @return this
         */
        public Builder checkInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("checkInterval must be positive but was " + interval);
            }
            this.checkInterval = interval;
            return this;
        }

        /**
         * Sets how far back in-memory aggregates reach, and so the longest metrics window (default 7 days); loaded from the store at start.
         *
         * @param horizon how far back in-memory aggregates reach, and so the longest metrics window
         *     (default 7 days); loaded from the store at start
         * @return this
         */
        public Builder horizon(Duration horizon) {
            if (horizon.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("horizon must be at least 1 hour but was " + horizon);
            }
            this.horizon = horizon;
            return this;
        }

        /**
         * Sets the samples the default rules need before they fire (default 30).
         *
         * @param samples the samples the default rules need before they fire (default 30)
         * @return this
         */
        public Builder minSamples(long samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("minSamples must be >= 1 but was " + samples);
            }
            this.minSamples = samples;
            return this;
        }

        /**
         * Names this instance of a fleet that shares one SQL store ({@link MonitorStore#jdbc} on
         * PostgreSQL, or one SQLite file on one machine), and makes the monitor describe the
         * fleet: {@link ModelMonitor#metrics} and {@link ModelMonitor#dashboard} then read the
         * store's per-minute and per-hour totals, which every instance updates with each batch it
         * writes (cost O(buckets), not O(predictions); each instance's last second or so of
         * traffic, not yet written, is missing), and an alert opens once for the fleet: the
         * instance whose check finds the breach first stores it and calls its listeners, the
         * others see it open, and any of them resolves it.
         *
         * @param name the instance, such as the pod's name ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}})
         * @return this
         */
        public Builder instance(String name) {
            this.instance = io.mlops.core.Names.validate("instance", name);
            return this;
        }

        /**
         * Sets the training profile that {@link Metric#DRIFT_SHARE} rules compare the logged inputs
         * with, e.g. {@code AlertRule.when(Metric.DRIFT_SHARE).above(0.3).over(Duration.ofHours(1))}.
         *
         * @param profile the training data's profile
         * @return this
         */
        public Builder driftReference(io.mlops.drift.ReferenceProfile profile) {
            this.driftReference = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /**
         * Sets how live drift is judged — in {@link ModelMonitor#drift} and the drift alert rules:
         * the significance, the correction across features, the stand-in sample's size (default
         * {@link LiveDrift#defaults()}: 0.01 after a Bonferroni correction, so that clean inputs
         * flag any feature of a window at most 1% of the time).
         *
         * @param settings the settings
         * @return this
         */
        public Builder driftSettings(LiveDrift settings) {
            this.liveDrift = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Estimates a binary classifier's performance without labels, per window, beside the
         * realised performance ({@link MetricsSnapshot#estimated()}; alert metrics
         * {@link Metric#ESTIMATED_ACCURACY}, {@code ESTIMATED_PRECISION}, {@code ESTIMATED_RECALL},
         * {@code ESTIMATED_F1}). Each prediction logged with a probability
         * ({@code PredictionLog.probability}: the model's confidence in its output) is calibrated when
         * it is logged — the positive label's score is that confidence, or one minus it for the other
         * label — and the calibrated probability that it is right is stored with it, so every
         * instance sharing the store and every restart sums the same estimate. Changing the estimator
         * later does not re-estimate what was logged. Its cost per log (a binary search in the
         * calibration) is below the noise of {@code log()}'s throughput ({@code MonitorProfilingBenchmark}).
         *
         * <pre>{@code
         * PerformanceEstimator cbpe = PerformanceEstimator.cbpe(referenceScores, referenceLabels); // P(positive), 0/1
         * ModelMonitor monitor = ModelMonitor.builder().positiveLabel(1).performanceEstimator(cbpe)
         *         .rule(AlertRule.when(Metric.ESTIMATED_ACCURACY).below(0.85).over(Duration.ofHours(1))).build();
         * }</pre>
         *
         * @param estimator a binary estimator ({@code PerformanceEstimator.cbpe(double[], int[])}),
         *     fitted on the positive label's scores of a labelled reference period
         * @return this
         * @throws IllegalArgumentException when the estimator is not a binary classifier's: the
         *     monitor logs one probability per prediction, which cannot carry a multiclass score row
         */
        public Builder performanceEstimator(PerformanceEstimator estimator) {
            Objects.requireNonNull(estimator, "estimator");
            if (!estimator.binary()) {
                throw new IllegalArgumentException("the monitor estimates a binary classifier's performance (one logged"
                        + " probability per prediction); use PerformanceEstimator.cbpe(double[], int[]), not " + estimator);
            }
            this.performanceEstimator = estimator;
            return this;
        }

        /**
         * Watches the inputs for multivariate drift ({@link Metric#MULTIVARIATE_DRIFT}; the verdict in
         * {@code drift(window, profile).multivariate()}) with a method fitted on the training data, over
         * a uniform sample of each hour's logged input rows (default 1,000 a hour; see
         * {@link #multivariateDrift(io.mlops.drift.MultivariateDrift, int)}).
         *
         * @param fitted e.g. {@code Multivariate.pcaReconstruction().fit(trainingData)}
         * @return this
         */
        public Builder multivariateDrift(io.mlops.drift.MultivariateDrift fitted) {
            return multivariateDrift(fitted, 1_000);
        }

        /**
         * Watches the inputs for multivariate drift with a method fitted on the training data. The
         * per-feature sketches cannot see features that move together, so for this the monitor keeps
         * a uniform random sample (reservoir) of each hour's logged rows of the method's features —
         * raw values, kept with the hour's input profile in the store (so restarts and every fleet
         * instance see them) and dropped with it after the horizon. A window's check merges its
         * hours' samples into one uniform sample of the window (each hour weighted by the rows it
         * logged) and runs the method on it: the thresholds are the method's for that many rows.
         * A missing or non-numeric feature value is stored as missing (PCA takes the reference's
         * mean for it).
         *
         * @param fitted e.g. {@code Multivariate.pcaReconstruction().fit(trainingData)}
         * @param rowsPerHour the rows sampled per hour and instance, 50 to 100,000; the check's
         *     power grows with it (PCA's threshold narrows as {@code 1/sqrt(rows)}), as does the
         *     stored profile (8 bytes per feature per row)
         * @return this
         */
        public Builder multivariateDrift(io.mlops.drift.MultivariateDrift fitted, int rowsPerHour) {
            Objects.requireNonNull(fitted, "fitted");
            if (rowsPerHour < 50 || rowsPerHour > 100_000) {
                throw new IllegalArgumentException("rowsPerHour must be in 50..100000 but was " + rowsPerHour);
            }
            this.multivariate = fitted;
            this.multivariateRows = rowsPerHour;
            return this;
        }

        /**
         * Sets whether logged input features are sketched for {@link ModelMonitor#drift} (default
         * true; a few hundred nanoseconds per feature per log).
         *
         * @param enabled whether to keep input profiles
         * @return this
         */
        public Builder profileInputs(boolean enabled) {
            this.profileInputs = enabled;
            return this;
        }

        /**
         * Names the reference column that the logged outputs ({@code PredictionLog.output}) are
         * compared with in {@link ModelMonitor#drift}: the monitor sketches the outputs beside the
         * inputs, and when the training profile has this column, the report carries the prediction's
         * drift apart from the features' ({@code DriftReport.predictionDrift()}, not in the drift
         * share). Default {@code prediction}: profile your validation predictions under that name, or
         * name your label column to compare predictions with the training labels.
         *
         * @param column a column of the reference profile
         * @return this
         */
        public Builder predictionColumn(String column) {
            this.predictionColumn = Objects.requireNonNull(column, "column");
            return this;
        }

        /**
         * Sets the time source (tests).
         *
         * @param clock the time source (tests)
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Opens the store, loads the aggregates of the horizon from it, and starts the writer and
         * the scheduler.
         *
         * @return the monitor
         */
        public ModelMonitor build() {
            List<AlertRule> all = new ArrayList<>();
            if (defaultRules) {
                thresholds.forEach((metric, value) -> {
                    AlertRule r = AlertRule.when(metric);
                    r = metric.higherIsWorse() ? r.above(value) : r.below(value);
                    all.add(r.minSamples(minSamples).severity(metric == Metric.ERROR_RATE ? AlertSeverity.HIGH : AlertSeverity.MEDIUM));
                });
            }
            all.addAll(rules);
            for (AlertRule r : all) {
                if (r.metric().isEstimated() && performanceEstimator == null) {
                    throw new IllegalArgumentException("rule '" + r.name() + "' watches " + r.metric()
                            + ": give the estimator with performanceEstimator(estimator)");
                }
                if (r.metric() == Metric.MULTIVARIATE_DRIFT && multivariate == null) {
                    throw new IllegalArgumentException("rule '" + r.name() + "' watches MULTIVARIATE_DRIFT: give the fitted"
                            + " method with multivariateDrift(fitted)");
                }
            }
            if (performanceEstimator != null && task != Task.CLASSIFICATION) {
                throw new IllegalStateException("performanceEstimator(...) estimates a classifier's performance; the task is " + task);
            }
            if (multivariate != null && !profileInputs) {
                throw new IllegalStateException("multivariateDrift(...) samples the logged inputs with their profiles;"
                        + " it cannot be used with profileInputs(false)");
            }
            MonitorStore chosen = store == null ? MonitorStore.inMemory() : store;
            if (instance != null && !chosen.sharedByProcesses()) {
                throw new IllegalStateException("instance('" + instance + "') describes a fleet sharing one SQL store,"
                        + " but the store is " + chosen + "; use MonitorStore.jdbc(dataSource) or MonitorStore.sqlite(path)");
            }
            return new DefaultModelMonitor(new MonitorSettings(chosen,
                    new MonitorSettings.WriteQueue(queueCapacity, queuePolicy, stallTimeout),
                    new MonitorSettings.Labelling(task, positiveLabel, feedbackPolicy),
                    new MonitorSettings.Alerting(all, listeners, checkInterval, driftReference), horizon, clock, instance, profileInputs,
                    predictionColumn, liveDrift, new MonitorSettings.Estimation(performanceEstimator, multivariate,
                    multivariateRows)));
        }
    }
}
