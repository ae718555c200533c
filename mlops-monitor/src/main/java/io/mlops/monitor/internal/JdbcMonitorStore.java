package io.mlops.monitor.internal;

import io.mlops.core.Json;
import io.mlops.core.StorageException;
import io.mlops.monitor.Alert;
import io.mlops.monitor.Metric;
import io.mlops.monitor.AlertSeverity;
import io.mlops.monitor.spi.ErrorRecord;
import io.mlops.monitor.spi.FeedbackRecord;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.monitor.spi.Observation;
import io.mlops.monitor.spi.PredictionRecord;
import io.mlops.monitor.spi.RecordRejectedException;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL {@link MonitorStore}: SQLite (one connection, WAL, synchronous=FULL, immediate
 * transactions, busy timeout for other processes) or any JDBC database with PostgreSQL's dialect
 * (a connection per call from the caller's DataSource). Thread-safe.
 */
public final class JdbcMonitorStore implements MonitorStore, StoredTotals {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcMonitorStore.class);

    private final SqlConnections db;
    private PreparedStatement observationById; // on the SQLite read connection, guarded by it

    private JdbcMonitorStore(SqlConnections db) throws SQLException {
        this.db = db;
        try {
            open(db);
        } catch (SQLException | RuntimeException e) {
            try {
                db.close(); // a store that cannot open keeps no file handles
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private void open(SqlConnections db) throws SQLException {
        if (db.readOnly()) {
            try {
                read(c -> {
                    try (java.sql.Statement s = c.createStatement()) {
                        s.executeQuery("SELECT 1 FROM predictions WHERE 1 = 0").close();
                    }
                    return null;
                });
            } catch (IOException e) {
                SQLException sql = e.getCause() instanceof SQLException x ? x : null;
                boolean noTable = sql != null && ("42P01".equals(sql.getSQLState())
                        || String.valueOf(sql.getMessage()).contains("no such table"));
                if (noTable) {
                    throw new io.mlops.core.NotFoundException("No monitor tables in the " + db + " (nothing was created: it was"
                            + " opened for reading)");
                }
                throw new StorageException("Cannot read the " + db + ": " + e.getMessage(), e);
            }
            return; // the schema is whatever the database holds
        }
        try {
            int minutes = tx(c -> MonitorSchema.create(c, db.dialect(), db.toString()));
            if (minutes > 0) {
                LOG.info("Computed the per-minute totals of {} minute(s) already stored in {}", minutes, this);
            }
        } catch (IOException e) {
            throw e.getCause() instanceof SQLException ? (SQLException) e.getCause() : new SQLException(e);
        }
    }

    /**
     * @param file the SQLite file
     * @return the store
     */
    public static JdbcMonitorStore sqlite(Path file) {
        try {
            return new JdbcMonitorStore(SqlConnections.sqlite(file));
        } catch (IOException | SQLException e) {
            throw new StorageException("Cannot open the monitor database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param dataSource connections to a PostgreSQL database
     * @return the store
     */
    public static JdbcMonitorStore jdbc(DataSource dataSource) {
        try {
            return new JdbcMonitorStore(SqlConnections.jdbc(dataSource));
        } catch (SQLException e) {
            throw new StorageException("Cannot open the monitor database " + dataSource + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns a store that only reads a PostgreSQL (or SQLite) database: no table is created and no
     * row written; writes fail with a {@link io.mlops.core.ReadOnlyException}.
     *
     * @param dataSource connections to the database
     * @return the store
     * @throws io.mlops.core.NotFoundException when the database holds no monitor tables
     */
    public static JdbcMonitorStore jdbcReadOnly(DataSource dataSource) {
        try {
            return new JdbcMonitorStore(SqlConnections.jdbcReadOnly(dataSource));
        } catch (SQLException e) {
            throw new StorageException("Cannot open the monitor database " + dataSource + ": " + e.getMessage(), e);
        }
    }

    private <T> T tx(io.mlops.core.internal.sql.SqlWork<T> work) throws IOException {
        return db.tx(work);
    }

    private <T> T read(io.mlops.core.internal.sql.SqlWork<T> work) throws IOException {
        return db.read(work);
    }

    @Override
    public boolean keepsProfiles() {
        return true;
    }

    @Override
    public boolean readOnly() {
        return db.readOnly();
    }

    @Override
    public long reserveIds(int count) throws IOException {
        return tx(c -> {
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO mlops_ids (name, next_id) VALUES ('predictions', 1) ON CONFLICT (name) DO NOTHING")) {
                ins.executeUpdate();
            }
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE mlops_ids SET next_id = next_id + ? WHERE name = 'predictions' RETURNING next_id")) {
                up.setLong(1, count);
                try (ResultSet rs = up.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) - count;
                }
            }
        });
    }

    @Override
    public void write(List<PredictionRecord> predictions, List<FeedbackRecord> feedback, List<ErrorRecord> errors)
            throws IOException {
        try {
            tx(c -> {
                MonitorSchema.insert(c, db.isSqlite(), predictions, feedback, errors);
                return null;
            });
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException && MonitorSchema.refusesData((SQLException) e.getCause(), db.isSqlite())) {
                throw new RecordRejectedException(e.getMessage(), e.getCause());
            }
            throw e;
        }
    }

    private static Object parse(String json) throws IOException {
        return Json.read(json);
    }

    /** Feeds the stored minutes and hours from {@code from} on into aggregates ({@link TotalsRows#load}). */
    @Override
    public long[] loadTotals(long fromMillis, Aggregates into) throws IOException {
        return read(c -> TotalsRows.load(c, fromMillis, into));
    }

    /** The window's totals, from the per-minute totals kept with the rows ({@link MinuteTotals}). */
    @Override
    public TotalsRows.Totals totals(long fromMillis, long toMillis, String modelVersion) throws IOException {
        return read(c -> TotalsRows.read(c, fromMillis, toMillis, modelVersion));
    }

    /**
     * Requests (predictions and errors) per hour of every instance, from the hour totals.
     *
     * @param firstHour the first hour's start
     * @param hours how many hours
     * @return the counts, one per hour
     */
    @Override
    public long[] hourlyRequests(long firstHour, int hours) throws IOException {
        return read(c -> {
            long[] out = new long[hours];
            try (PreparedStatement ps = c.prepareStatement("SELECT start_ms, SUM(predictions + errors) FROM " + MinuteTotals.TABLE
                    + " WHERE span_ms = ? AND start_ms >= ? AND start_ms < ? GROUP BY start_ms")) {
                ps.setLong(1, MinuteTotals.HOUR);
                ps.setLong(2, firstHour);
                ps.setLong(3, firstHour + hours * MinuteTotals.HOUR);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out[(int) ((rs.getLong(1) - firstHour) / MinuteTotals.HOUR)] = rs.getLong(2);
                    }
                }
            }
            return out;
        });
    }

    /**
     * The model versions with traffic from every instance in [from, to), from the hour totals, sorted.
     *
     * @return the versions ("" is traffic without a version)
     */
    @Override
    public java.util.SortedSet<String> versions(long fromMillis, long toMillis) throws IOException {
        return read(c -> {
            java.util.SortedSet<String> out = new java.util.TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT model_version FROM " + MinuteTotals.TABLE
                    + " WHERE span_ms = ? AND start_ms >= ? AND start_ms < ? AND predictions + errors > 0")) {
                ps.setLong(1, MinuteTotals.HOUR);
                ps.setLong(2, Math.floorDiv(fromMillis, MinuteTotals.HOUR) * MinuteTotals.HOUR);
                ps.setLong(3, toMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    private static final String OBSERVATION = "SELECT p.id, p.ts_ms, p.model_version, p.output, p.latency_us, f.actual,"
            + " f.prediction_id, p.expected_correct FROM predictions p LEFT JOIN feedback f ON f.prediction_id = p.id";

    private static Observation observation(ResultSet rs) throws SQLException, IOException {
        rs.getLong(7);
        boolean hasFeedback = !rs.wasNull();
        double expected = rs.getDouble(8);
        Double expectedCorrect = rs.wasNull() ? null : expected;
        return new Observation(rs.getLong(1), rs.getLong(2), rs.getString(3), parse(rs.getString(4)), rs.getLong(5),
                parse(rs.getString(6)), hasFeedback, expectedCorrect);
    }

    @Override
    public List<Observation> observations(long fromMillis, long toMillis, String modelVersion) throws IOException {
        return read(c -> {
            String sql = OBSERVATION + " WHERE p.ts_ms >= ? AND p.ts_ms < ?" + (modelVersion == null ? "" : " AND p.model_version = ?")
                    + " ORDER BY p.id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, fromMillis);
                ps.setLong(2, toMillis);
                if (modelVersion != null) {
                    ps.setString(3, modelVersion);
                }
                List<Observation> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(observation(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<ErrorRecord> errors(long fromMillis, long toMillis, String modelVersion) throws IOException {
        return read(c -> {
            String sql = "SELECT ts_ms, model_version, message FROM errors WHERE ts_ms >= ? AND ts_ms < ?"
                    + (modelVersion == null ? "" : " AND model_version = ?") + " ORDER BY id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, fromMillis);
                ps.setLong(2, toMillis);
                if (modelVersion != null) {
                    ps.setString(3, modelVersion);
                }
                List<ErrorRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ErrorRecord(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<Observation> observation(long predictionId) throws IOException {
        return read(c -> {
            if (db.isSqliteRead(c)) {
                // the feedback path: one prepared statement, reused
                if (observationById == null) {
                    observationById = c.prepareStatement(OBSERVATION + " WHERE p.id = ?");
                }
                return observationById(observationById, predictionId);
            }
            try (PreparedStatement ps = c.prepareStatement(OBSERVATION + " WHERE p.id = ?")) {
                return observationById(ps, predictionId);
            }
        });
    }

    private static Optional<Observation> observationById(PreparedStatement ps, long id) throws SQLException, IOException {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(observation(rs)) : Optional.empty();
        }
    }

    @Override
    public List<Long> predictionsOfTrace(String traceId) throws IOException {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT prediction_id FROM prediction_traces WHERE trace_id = ? ORDER BY prediction_id LIMIT 1000")) {
                ps.setString(1, traceId);
                List<Long> out = new java.util.ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<String> traceOf(long predictionId) throws IOException {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT trace_id FROM prediction_traces WHERE prediction_id = ?")) {
                ps.setLong(1, predictionId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public long insertAlert(Alert a) throws IOException {
        return tx(c -> insertAlertRow(c, a, false, db.dialect())).orElseThrow();
    }

    /** Inserts unless an alert of the rule is open (the partial unique index {@code alerts_open_rule} decides). */
    @Override
    public java.util.OptionalLong openAlert(Alert a) throws IOException {
        return tx(c -> insertAlertRow(c, a, true, db.dialect()));
    }

    private static java.util.OptionalLong insertAlertRow(java.sql.Connection c, Alert a, boolean unlessOpen,
            io.mlops.core.internal.sql.SqlDatabase.Dialect dialect) throws SQLException {
        if (dialect == io.mlops.core.internal.sql.SqlDatabase.Dialect.POSTGRESQL) {
            // alerts commit one at a time, so ids are in commit order (alertsAfter's promise: a follower
            // that saw id N never misses a lower one committing later); SQLite has one writer anyway
            try (java.sql.Statement lock = c.createStatement()) {
                lock.execute("LOCK TABLE alerts IN SHARE ROW EXCLUSIVE MODE");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alerts (rule, metric, severity, message, value, threshold,"
                + " model_version, opened_ms, resolved_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + (unlessOpen ? " ON CONFLICT (rule) WHERE resolved_ms IS NULL DO NOTHING" : "") + " RETURNING id")) {
            ps.setString(1, a.rule());
            ps.setString(2, a.metric().name());
            ps.setString(3, a.severity().name());
            ps.setString(4, a.message());
            ps.setDouble(5, a.value());
            ps.setDouble(6, a.threshold());
            ps.setString(7, a.modelVersion());
            ps.setLong(8, a.openedAt().toEpochMilli());
            if (a.resolvedAt() == null) {
                ps.setNull(9, Types.BIGINT);
            } else {
                ps.setLong(9, a.resolvedAt().toEpochMilli());
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.OptionalLong.of(rs.getLong(1)) : java.util.OptionalLong.empty();
            }
        }
    }

    @Override
    public boolean sharedByProcesses() {
        return true;
    }

    @Override
    public boolean resolveAlert(long alertId, long resolvedMillis) throws IOException {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE alerts SET resolved_ms = ? WHERE id = ? AND resolved_ms IS NULL")) {
                ps.setLong(1, resolvedMillis);
                ps.setLong(2, alertId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Alert> alertsAfter(long afterId, int max) throws IOException {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(ALERT_COLUMNS + " WHERE id > ? ORDER BY id LIMIT ?")) {
                ps.setLong(1, afterId);
                ps.setInt(2, max);
                return alerts(ps);
            }
        });
    }

    @Override
    public List<Alert> activeAlerts() throws IOException {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(ALERT_COLUMNS + " WHERE resolved_ms IS NULL ORDER BY opened_ms DESC, id DESC")) {
                return alerts(ps);
            }
        });
    }

    private static final String ALERT_COLUMNS = "SELECT id, rule, metric, severity, message, value, threshold, model_version,"
            + " opened_ms, resolved_ms FROM alerts";

    private static List<Alert> alerts(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<Alert> out = new ArrayList<>();
            while (rs.next()) {
                long resolvedMs = rs.getLong(10);
                Instant resolved = rs.wasNull() ? null : Instant.ofEpochMilli(resolvedMs);
                out.add(new Alert(rs.getLong(1), rs.getString(2), Metric.valueOf(rs.getString(3)),
                        AlertSeverity.valueOf(rs.getString(4)), rs.getString(5), rs.getDouble(6), rs.getDouble(7),
                        rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)), resolved));
            }
            return out;
        }
    }

    @Override
    public void writeProfile(long hourMillis, String writer, byte[] profile) throws IOException {
        ProfileRows.write(db, hourMillis, writer, profile);
    }

    @Override
    public List<StoredProfile> profiles(long fromMillis, long toMillis, String writer, boolean only) throws IOException {
        return ProfileRows.read(db, fromMillis, toMillis, writer, only);
    }

    @Override
    public java.util.Optional<DetectorState> detectorState(String rule) throws IOException {
        return DetectorRows.read(db, rule);
    }

    @Override
    public boolean advanceDetector(String rule, long previousWindowEndMillis, DetectorState next) throws IOException {
        return DetectorRows.advance(db, rule, previousWindowEndMillis, next);
    }

    @Override
    public boolean keepsDetectors() {
        return true;
    }

    @Override
    public long purge(long beforeMillis) throws IOException {
        return tx(c -> {
            long deleted;
            try (PreparedStatement traces = c.prepareStatement(
                    "DELETE FROM prediction_traces WHERE prediction_id IN (SELECT id FROM predictions WHERE ts_ms < ?)");
                 PreparedStatement f = c.prepareStatement(
                    "DELETE FROM feedback WHERE prediction_id IN (SELECT id FROM predictions WHERE ts_ms < ?)");
                 PreparedStatement p = c.prepareStatement("DELETE FROM predictions WHERE ts_ms < ?");
                 PreparedStatement e = c.prepareStatement("DELETE FROM errors WHERE ts_ms < ?");
                 PreparedStatement a = c.prepareStatement("DELETE FROM alerts WHERE resolved_ms IS NOT NULL AND resolved_ms < ?");
                 PreparedStatement t = c.prepareStatement("DELETE FROM " + MinuteTotals.TABLE + " WHERE start_ms + span_ms <= ?");
                 PreparedStatement ip = c.prepareStatement("DELETE FROM input_profiles WHERE hour_ms + 3600000 <= ?")) {
                for (PreparedStatement s : List.of(traces, f, p, e, a)) {
                    s.setLong(1, beforeMillis);
                }
                traces.executeUpdate();
                t.setLong(1, beforeMillis); // the minutes and hours wholly before the cut-off
                t.executeUpdate();
                ip.setLong(1, beforeMillis);
                ip.executeUpdate();
                f.executeUpdate();
                deleted = p.executeUpdate();
                e.executeUpdate();
                a.executeUpdate();
            }
            return deleted;
        });
    }

    @Override
    public void close() {
        db.close();
    }

    @Override
    public String toString() {
        return "MonitorStore[" + db + "]";
    }
}
