package io.mlops.monitor.spi;

import io.mlops.monitor.Alert;
import io.mlops.monitor.internal.InMemoryMonitorStore;
import io.mlops.monitor.internal.JdbcMonitorStore;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a {@link io.mlops.monitor.ModelMonitor} keeps predictions, feedback, errors and alerts.
 *
 * <p><b>Schema</b> (SQLite and PostgreSQL; times are epoch milliseconds, JSON as text):
 * <pre>
 * predictions(id BIGINT PRIMARY KEY, ts_ms BIGINT, model_version TEXT, input TEXT, output TEXT,
 *             probability DOUBLE, latency_us BIGINT, user_id TEXT)       index on ts_ms
 * feedback(prediction_id BIGINT PRIMARY KEY, ts_ms BIGINT, actual TEXT)   one row per prediction
 * errors(id auto, ts_ms BIGINT, model_version TEXT, message TEXT)         index on ts_ms
 * alerts(id auto, rule TEXT, metric TEXT, severity TEXT, message TEXT, value DOUBLE, threshold DOUBLE,
 *        model_version TEXT, opened_ms BIGINT, resolved_ms BIGINT NULL)
 * mlops_ids(name TEXT PRIMARY KEY, next_id BIGINT)                        id blocks
 * </pre>
 * The SQL stores record their schema version in {@code mlops_schema_version} (component
 * {@code monitor}) and bring an older database up to date when they open it; a database written
 * by a newer release is refused.
 *
 * <p><b>Contract</b> (checked by the compatibility kit {@code io.mlops.test.MonitorStoreContract} in
 * the {@code mlops-test} artifact): {@link #write} stores a batch atomically and durably; {@link #reserveIds} hands out
 * blocks that never overlap, across processes and restarts; implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface MonitorStore extends AutoCloseable {

    /**
     * Reserves a block of prediction ids.
     *
     * @param count how many
     * @return the first id of a block of {@code count} consecutive ids no one else will get
     * @throws IOException when the store fails
     */
    long reserveIds(int count) throws IOException;

    /**
     * Stores a batch in one transaction.
     *
     * @param predictions new predictions
     * @param feedback feedback (replacing earlier feedback of the same prediction)
     * @param errors failed requests
     * @throws IOException when the store fails; nothing of the batch is stored then
     */
    void write(List<PredictionRecord> predictions, List<FeedbackRecord> feedback, List<ErrorRecord> errors) throws IOException;

    /**
     * @param fromMillis the window's start, inclusive
     * @param toMillis the window's end, exclusive
     * @param modelVersion a version, or null for all
     * @return the predictions in the window with their latest feedback
     * @throws IOException when the store fails
     */
    List<Observation> observations(long fromMillis, long toMillis, String modelVersion) throws IOException;

    /**
     * @param fromMillis the window's start, inclusive
     * @param toMillis the window's end, exclusive
     * @param modelVersion a version, or null for all
     * @return the failed requests in the window
     * @throws IOException when the store fails
     */
    List<ErrorRecord> errors(long fromMillis, long toMillis, String modelVersion) throws IOException;

    /**
     * @param predictionId an id
     * @return the prediction with its latest feedback, or empty when unknown
     * @throws IOException when the store fails
     */
    Optional<Observation> observation(long predictionId) throws IOException;

    /**
     * Stores a new alert.
     *
     * @param alert the alert (its id is ignored)
     * @return the id the store gave it
     * @throws IOException when the store fails
     */
    long insertAlert(Alert alert) throws IOException;

    /**
     * Marks an alert resolved.
     *
     * @param alertId the alert
     * @param resolvedMillis when
     * @return {@code true} when it was active
     * @throws IOException when the store fails
     */
    boolean resolveAlert(long alertId, long resolvedMillis) throws IOException;

    /**
     * @return the active alerts, newest first
     * @throws IOException when the store fails
     */
    List<Alert> activeAlerts() throws IOException;

    /**
     * The alerts with ids above one, open or resolved, in id order: what {@code alertFeed()}
     * follows. A store must give ids in the order its alerts commit (an alert committed later never
     * has a lower id), so a follower that saw id N has seen every alert below it. The default
     * reads {@link #activeAlerts()}: a store without this method feeds only the alerts still open.
     *
     * @param afterId the last id the caller has (0 before the first)
     * @param max at most this many
     * @return the alerts, lowest id first
     * @throws IOException when the store fails
     */
    default List<Alert> alertsAfter(long afterId, int max) throws IOException {
        return activeAlerts().stream().filter(a -> a.id() > afterId)
                .sorted(java.util.Comparator.comparingLong(Alert::id)).limit(max).toList();
    }

    /**
     * Deletes rows older than a time.
     *
     * @param beforeMillis the cut-off
     * @return prediction rows deleted
     * @throws IOException when the store fails
     */
    long purge(long beforeMillis) throws IOException;

    /** Releases connections and files. */
    @Override
    void close();

    /**
     * Stores an alert unless one of the same rule is open: in a fleet of monitors sharing the store,
     * exactly one of those that find a breach at once opens the alert. The default checks
     * {@link #activeAlerts()} and inserts under this object's lock, which is enough for a store only
     * one process writes; a shared store must decide in the database.
     *
     * @param alert the alert to open (its id is ignored)
     * @return the stored alert's id, or empty when an alert of that rule was open already
     * @throws IOException when the store cannot be written
     */
    default java.util.OptionalLong openAlert(Alert alert) throws IOException {
        synchronized (this) {
            for (Alert open : activeAlerts()) {
                if (open.rule().equals(alert.rule())) {
                    return java.util.OptionalLong.empty();
                }
            }
            return java.util.OptionalLong.of(insertAlert(alert));
        }
    }

    /**
     * Stores (replaces) one writer's input profile of one hour — the monitor's serialised sketches of
     * the inputs and outputs it logged in that hour — so that drift over a window covers restarts
     * and every instance of a fleet. Optional: the default keeps nothing, and drift then covers the
     * traffic of this process only.
     *
     * @param hourMillis the hour's start, epoch milliseconds
     * @param writer the writing monitor's key (its instance name, or a key of its own)
     * @param profile the serialised profile, at most {@link #MAX_PROFILE_BYTES}
     * @throws IOException when the store fails
     */
    default void writeProfile(long hourMillis, String writer, byte[] profile) throws IOException {
    }

    /**
     * Returns the stored input profiles of the hours that start in {@code [fromMillis, toMillis)},
     * but for one writer's (the asking monitor's own, which it holds in memory) or of that writer
     * only.
     *
     * @param fromMillis the first hour's start
     * @param toMillis the end
     * @param writer a writer's key
     * @param only {@code true} for that writer's profiles only, {@code false} for every other writer's
     * @return the profiles, each with its hour and writer
     * @throws IOException when the store fails
     */
    default List<StoredProfile> profiles(long fromMillis, long toMillis, String writer, boolean only) throws IOException {
        return List.of();
    }

    /**
     * A change-detecting alert rule's state: the end of the last window it observed, and its
     * detector's serialised state (JSON).
     *
     * @param windowEndMillis the end of the last window observed, epoch milliseconds
     * @param state the detector's state
     * @since 0.1.0
     */
    record DetectorState(long windowEndMillis, String state) {
        /**
         * Checks.
         *
         * @param windowEndMillis the end of the last window observed
         * @param state the detector's state
         */
        public DetectorState {
            java.util.Objects.requireNonNull(state, "state");
        }
    }

    /**
     * Returns a change-detecting rule's stored state. Optional: the default keeps none, and each
     * monitor then keeps its rules' states in memory only (lost on a restart, not shared by a fleet).
     *
     * @param rule the rule's name
     * @return the state, or empty
     * @throws IOException when the store fails
     */
    default Optional<DetectorState> detectorState(String rule) throws IOException {
        return Optional.empty();
    }

    /**
     * Stores a change-detecting rule's next state if the stored one is still the one it was
     * computed from — the state of the window ending {@code previousWindowEndMillis}, or none when
     * that is negative — so that among a fleet's instances observing the same window exactly one
     * advances the state. Optional: the default keeps nothing and answers {@code true}.
     *
     * @param rule the rule's name
     * @param previousWindowEndMillis the window end of the state it was computed from, or -1 for none
     * @param next the next state
     * @return whether it was stored ({@code false}: another writer advanced the state first)
     * @throws IOException when the store fails
     */
    default boolean advanceDetector(String rule, long previousWindowEndMillis, DetectorState next) throws IOException {
        return true;
    }

    /**
     * Whether this store keeps change detectors' states ({@link #detectorState}).
     *
     * @return the default, {@code false}
     */
    default boolean keepsDetectors() {
        return false;
    }

    /** The largest serialised profile a store keeps or returns (16 MiB). */
    int MAX_PROFILE_BYTES = 16 << 20;

    /**
     * One writer's stored profile of one hour.
     *
     * @param hourMillis the hour's start
     * @param writer the writing monitor's key
     * @param profile the serialised profile
     */
    record StoredProfile(long hourMillis, String writer, byte[] profile) {
    }

    /**
     * The ids of the predictions stored with a trace id, oldest first.
     *
     * @param traceId a W3C trace id
     * @return at most 1,000 ids; the default, for stores written before trace ids, finds none
     * @throws IOException when the store cannot be read
     * @since 0.1.0
     */
    default List<Long> predictionsOfTrace(String traceId) throws IOException {
        return List.of();
    }

    /**
     * The trace id a prediction was stored with.
     *
     * @param predictionId a prediction id
     * @return the trace id, empty when none; the default finds none
     * @throws IOException when the store cannot be read
     * @since 0.1.0
     */
    default Optional<String> traceOf(long predictionId) throws IOException {
        return Optional.empty();
    }

    /**
     * Tells whether the store keeps the live input profiles ({@link #writeProfile}), so that a
     * monitor saves them (every minute, and on flush and close) and drift covers hours before a
     * restart. The default keeps none.
     *
     * @return whether profiles written are kept
     * @since 0.1.0
     */
    default boolean keepsProfiles() {
        return false;
    }

    /**
     * Tells whether the store was opened for reading only (a SQLite file on a nearly full volume,
     * where writing could crash the JVM): a monitor on it answers metrics, alerts and dashboards,
     * and refuses to log with a {@link io.mlops.core.ReadOnlyException}.
     *
     * @return whether the store only reads; the default is {@code false}
     */
    default boolean readOnly() {
        return false;
    }

    /**
     * Tells whether monitors in several processes may share this store, each writing its
     * traffic, so that a monitor built with an {@code instance} name can describe the fleet.
     *
     * @return whether monitors in several processes may share this store
     */
    default boolean sharedByProcesses() {
        return false;
    }

    /**
     * The embedded default: a SQLite file in WAL mode with synchronous=FULL (a committed batch
     * survives a crash of the process and of the machine); open it with the {@code sqlite3} tool
     * to query it.
     *
     * @param db the database file, created with its folders when missing
     * @return the store
     */
    static MonitorStore sqlite(Path db) {
        return JdbcMonitorStore.sqlite(db);
    }

    /**
     * The same schema on a shared database (PostgreSQL), for several service instances writing one
     * monitor database. Tables are created when missing, in the connections' default schema.
     *
     * @param dataSource connections to the database
     * @return the store
     */
    static MonitorStore jdbc(DataSource dataSource) {
        return JdbcMonitorStore.jdbc(dataSource);
    }

    /**
     * The same schema on a shared database, opened for reading only (dashboards, reports, the
     * {@code mlops monitor} commands): no table is created and nothing written; a monitor built on
     * it answers metrics, alerts and dashboards and refuses to log ({@link #readOnly()}).
     *
     * @param dataSource connections to the database
     * @return the store
     * @throws io.mlops.core.NotFoundException when the database holds no monitor tables
     * @since 0.1.0
     */
    static MonitorStore jdbcReadOnly(DataSource dataSource) {
        return JdbcMonitorStore.jdbcReadOnly(dataSource);
    }

    /**
     * @return a store in this JVM's heap, for tests
     */
    static MonitorStore inMemory() {
        return new InMemoryMonitorStore();
    }
}
