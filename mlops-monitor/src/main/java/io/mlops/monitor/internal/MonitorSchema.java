package io.mlops.monitor.internal;

import io.mlops.core.internal.sql.Migrations;
import io.mlops.core.internal.sql.SqlDatabase.Dialect;
import io.mlops.monitor.spi.ErrorRecord;
import io.mlops.monitor.spi.FeedbackRecord;
import io.mlops.monitor.spi.PredictionRecord;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

/** The SQL monitor store's tables (SQLite and PostgreSQL), and how a batch of rows goes into them. */
final class MonitorSchema {

    private MonitorSchema() {
    }

    /** The component's name in the table of schema versions. */
    static final String COMPONENT = "monitor";

    /**
     * The versioned steps of the monitor's tables, oldest first ({@link Migrations}). Step 1 is the
     * schema as it stood before versions were recorded, written with {@code IF NOT EXISTS}: on a
     * database that an earlier release created it adds only what is missing (the totals and
     * profiles tables, the one-open-alert-per-rule index), so such a database upgrades in place.
     * Add a step for every later change; never edit a released one.
     *
     * @param dialect the database's dialect
     * @return the steps
     */
    static List<List<String>> steps(Dialect dialect) {
        boolean sqlite = dialect == Dialect.SQLITE;
        String id = sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
        String dbl = sqlite ? "REAL" : "DOUBLE PRECISION";
        return List.of(List.of(
            "CREATE TABLE IF NOT EXISTS predictions (id BIGINT PRIMARY KEY, ts_ms BIGINT NOT NULL, model_version TEXT,"
                    + " input TEXT, output TEXT, probability " + dbl + ", latency_us BIGINT, user_id TEXT)",
            "CREATE INDEX IF NOT EXISTS predictions_ts ON predictions (ts_ms)",
            "CREATE TABLE IF NOT EXISTS feedback (prediction_id BIGINT PRIMARY KEY, ts_ms BIGINT NOT NULL, actual TEXT)",
            "CREATE TABLE IF NOT EXISTS errors (id " + id + ", ts_ms BIGINT NOT NULL, model_version TEXT, message TEXT)",
            "CREATE INDEX IF NOT EXISTS errors_ts ON errors (ts_ms)",
            "CREATE TABLE IF NOT EXISTS alerts (id " + id + ", rule TEXT NOT NULL, metric TEXT NOT NULL, severity TEXT NOT NULL,"
                    + " message TEXT, value " + dbl + ", threshold " + dbl + ", model_version TEXT, opened_ms BIGINT NOT NULL,"
                    + " resolved_ms BIGINT)",
            "CREATE TABLE IF NOT EXISTS mlops_ids (name TEXT PRIMARY KEY, next_id BIGINT NOT NULL)",
            MinuteTotals.ddl(sqlite),
            "CREATE TABLE IF NOT EXISTS input_profiles (hour_ms BIGINT NOT NULL, writer TEXT NOT NULL, updated_ms BIGINT NOT NULL,"
                    + " profile " + (sqlite ? "BLOB" : "BYTEA") + " NOT NULL, PRIMARY KEY (hour_ms, writer))",
            // one open alert per rule for every monitor sharing the database; older databases may
            // hold several (one per instance): the newest stays open
            "UPDATE alerts SET resolved_ms = opened_ms WHERE resolved_ms IS NULL AND id NOT IN"
                    + " (SELECT MAX(id) FROM alerts WHERE resolved_ms IS NULL GROUP BY rule)",
            "CREATE UNIQUE INDEX IF NOT EXISTS alerts_open_rule ON alerts (rule) WHERE resolved_ms IS NULL"),
            // step 2: the W3C trace id of the request a prediction answered, found both ways; a table
            // of its own (rows only for traced predictions), so the step is idempotent on both databases
            List.of("CREATE TABLE IF NOT EXISTS prediction_traces (prediction_id BIGINT PRIMARY KEY, trace_id TEXT NOT NULL)",
                    "CREATE INDEX IF NOT EXISTS prediction_traces_trace ON prediction_traces (trace_id)"),
            // step 3: the states of change-detecting alert rules, shared by restarts and a fleet
            List.of("CREATE TABLE IF NOT EXISTS change_detectors (rule TEXT PRIMARY KEY, window_end_ms BIGINT NOT NULL,"
                    + " state TEXT NOT NULL)"),
            // step 4: the calibrated probability that a prediction is right (performance estimated
            // without labels), per prediction and summed per predicted label in the totals. Columns
            // added under the migration lock, once (SQLite has no ADD COLUMN IF NOT EXISTS)
            List.of("ALTER TABLE predictions ADD COLUMN " + (sqlite ? "" : "IF NOT EXISTS ") + "expected_correct " + dbl,
                    "ALTER TABLE " + MinuteTotals.TABLE + " ADD COLUMN " + (sqlite ? "" : "IF NOT EXISTS ") + "estimated TEXT"));
    }

    /**
     * Brings the tables to the newest schema version; the first store to open a database written
     * before the totals existed fills them (one writer at a time: the marker's insert waits for the
     * lock). On PostgreSQL, stores starting together take turns on the same advisory lock as every
     * other component's migration.
     *
     * @param c the connection, in the caller's transaction
     * @param dialect the database's dialect
     * @param where the database, for messages
     * @return the number of minutes of totals filled in, usually 0
     * @throws io.mlops.core.StorageException when a newer release wrote the database
     */
    static int create(Connection c, Dialect dialect, String where) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                s.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext('schema'))");
            }
            Migrations.apply(c, COMPONENT, steps(dialect), where);
            if (s.executeUpdate("INSERT INTO mlops_ids (name, next_id) VALUES ('" + MinuteTotals.TABLE
                    + "', 0) ON CONFLICT (name) DO NOTHING") == 1) {
                return MinuteTotals.backfill(c, dialect == Dialect.SQLITE);
            }
            return 0;
        }
    }

    /** Inserts a batch of rows and updates the totals, in the caller's transaction. */
    static void insert(Connection c, boolean sqlite, List<PredictionRecord> predictions, List<FeedbackRecord> feedback,
                       List<ErrorRecord> errors) throws SQLException, IOException {
        {
            MinuteTotals totals = new MinuteTotals();
            if (!predictions.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO predictions (id, ts_ms, model_version, input, output,"
                        + " probability, latency_us, user_id, expected_correct) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (id) DO NOTHING")) {
                    for (PredictionRecord r : predictions) {
                        ps.setLong(1, r.id());
                        ps.setLong(2, r.timestampMillis());
                        ps.setString(3, r.modelVersion());
                        ps.setString(4, r.inputJson());
                        ps.setString(5, r.outputJson());
                        if (r.probability() == null) {
                            ps.setNull(6, Types.DOUBLE);
                        } else {
                            ps.setDouble(6, r.probability());
                        }
                        ps.setLong(7, r.latencyMicros());
                        ps.setString(8, r.user());
                        if (r.expectedCorrect() == null) {
                            ps.setNull(9, Types.DOUBLE);
                        } else {
                            ps.setDouble(9, r.expectedCorrect());
                        }
                        ps.addBatch();
                    }
                    totals.predictions(predictions, ps.executeBatch());
                }
                insertTraces(c, predictions);
            }
            if (!feedback.isEmpty()) {
                totals.feedback(c, feedback);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO feedback (prediction_id, ts_ms, actual) VALUES (?, ?, ?)"
                        + " ON CONFLICT (prediction_id) DO UPDATE SET ts_ms = excluded.ts_ms, actual = excluded.actual")) {
                    for (FeedbackRecord r : feedback) {
                        ps.setLong(1, r.predictionId());
                        ps.setLong(2, r.timestampMillis());
                        ps.setString(3, r.actualJson());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!errors.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO errors (ts_ms, model_version, message) VALUES (?, ?, ?)")) {
                    for (ErrorRecord r : errors) {
                        ps.setLong(1, r.timestampMillis());
                        ps.setString(2, r.modelVersion());
                        ps.setString(3, r.message());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                totals.errors(errors);
            }
            totals.write(c, sqlite);
        }
    }

    /** The trace ids of the traced predictions of a batch. */
    private static void insertTraces(Connection c, List<PredictionRecord> predictions) throws SQLException {
        if (predictions.stream().allMatch(r -> r.traceId() == null)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO prediction_traces (prediction_id, trace_id) VALUES (?, ?)"
                + " ON CONFLICT (prediction_id) DO NOTHING")) {
            for (PredictionRecord r : predictions) {
                if (r.traceId() != null) {
                    ps.setLong(1, r.id());
                    ps.setString(2, r.traceId());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /**
     * Whether the database refused the data itself, so that the same rows fail again: SQL state
     * classes 22 (data exception: PostgreSQL's NUL in text, a value out of range) and 23 (integrity
     * constraint), and SQLite's TOOBIG, CONSTRAINT and MISMATCH.
     */
    static boolean refusesData(SQLException e, boolean sqlite) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
            // only on SQLite: the driver's classes may be absent when the store is PostgreSQL's
            if (sqlite && x instanceof org.sqlite.SQLiteException) {
                int primary = ((org.sqlite.SQLiteException) x).getResultCode().code & 0xff;
                if (primary == 18 || primary == 19 || primary == 20) {
                    return true;
                }
            }
        }
        return false;
    }
}
