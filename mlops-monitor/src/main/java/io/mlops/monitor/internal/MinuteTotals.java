package io.mlops.monitor.internal;

import io.mlops.core.Json;
import io.mlops.monitor.spi.ErrorRecord;
import io.mlops.monitor.spi.FeedbackRecord;
import io.mlops.monitor.spi.PredictionRecord;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-minute and per-hour, per-model-version totals kept in the store beside the rows they sum
 * ({@code metric_totals}), updated in the same transaction as every batch of rows. So
 * {@code exactMetrics} over a day reads 24 hour rows and the minutes at the window's edges per
 * version instead of every prediction, and sees what every instance sharing the store wrote. A row holds a bucket as the live aggregates
 * have it: counts, the latency histogram (HdrHistogram's compressed encoding), and the feedback's
 * confusion counts (JSON) and error sums. A feedback that replaces an earlier one for the same
 * prediction takes the earlier one out first, as the live path does.
 *
 * <p>Rows are merged under the write transaction: inserted empty when missing, then read ({@code FOR
 * UPDATE} on PostgreSQL), merged and written back, so concurrent writers never lose a count.
 */
final class MinuteTotals {

    static final String TABLE = "metric_totals";
    static final long MINUTE = Aggregates.BUCKET_MILLIS;
    static final long HOUR = 3_600_000L;
    private static final int LOOKUP_CHUNK = 500;

    static String ddl(boolean sqlite) {
        String blob = sqlite ? "BLOB" : "BYTEA";
        String dbl = sqlite ? "REAL" : "DOUBLE PRECISION";
        return "CREATE TABLE IF NOT EXISTS " + TABLE + " (start_ms BIGINT NOT NULL, span_ms BIGINT NOT NULL,"
                + " model_version TEXT NOT NULL,"
                + " predictions BIGINT NOT NULL DEFAULT 0, errors BIGINT NOT NULL DEFAULT 0, feedback BIGINT NOT NULL DEFAULT 0,"
                + " correct BIGINT NOT NULL DEFAULT 0, latency_count BIGINT NOT NULL DEFAULT 0, latency_sum_us " + dbl
                + " NOT NULL DEFAULT 0, latency_histogram " + blob + ", confusion TEXT, abs_error_sum " + dbl
                + " NOT NULL DEFAULT 0, squared_error_sum " + dbl + " NOT NULL DEFAULT 0, regression_count BIGINT NOT NULL"
                + " DEFAULT 0, PRIMARY KEY (start_ms, span_ms, model_version))";
    }

    private record Key(long start, long span, String version) {
    }

    /** Sorted, so that every writer locks rows in one order and two writers never deadlock. */
    private final Map<Key, Aggregates.Bucket> changes = new java.util.TreeMap<>(java.util.Comparator.comparingLong(Key::start)
            .thenComparingLong(Key::span).thenComparing(Key::version));

    /** The two buckets a change at {@code millis} goes to: its minute's and its hour's. */
    private Aggregates.Bucket[] at(long millis, String version) {
        String v = version == null ? "" : version;
        return new Aggregates.Bucket[] {
            changes.computeIfAbsent(new Key(Math.floorDiv(millis, MINUTE) * MINUTE, MINUTE, v), k -> new Aggregates.Bucket()),
            changes.computeIfAbsent(new Key(Math.floorDiv(millis, HOUR) * HOUR, HOUR, v), k -> new Aggregates.Bucket())};
    }

    /**
     * Adds predictions: those of a batch that were inserted (not already stored).
     *
     * @param batch the batch's predictions
     * @param updateCounts what the batch insert returned for each (0: already stored)
     */
    void predictions(List<PredictionRecord> batch, int[] updateCounts) {
        for (int i = 0; i < batch.size(); i++) {
            if (i < updateCounts.length && updateCounts[i] == 0) {
                continue;
            }
            PredictionRecord p = batch.get(i);
            for (Aggregates.Bucket b : at(p.timestampMillis(), p.modelVersion())) {
                b.predictions++;
                if (p.latencyMicros() >= 0) {
                    b.addLatency(p.latencyMicros());
                }
            }
        }
    }

    /**
     * Adds feedback; call in the transaction after the batch's predictions are inserted and before
     * its feedback is, so that a feedback replacing a stored one finds it.
     */
    void feedback(Connection c, List<FeedbackRecord> feedback) throws SQLException, IOException {
        Map<Long, Stored> stored = lookUp(c, feedback);
        Map<Long, String> latestActual = new HashMap<>();
        for (FeedbackRecord f : feedback) {
            Stored p = stored.get(f.predictionId());
            if (p == null) {
                continue; // feedback for a prediction the store does not hold: no metric counts it
            }
            String previous = latestActual.containsKey(f.predictionId()) ? latestActual.get(f.predictionId()) : p.actual;
            Object output = Json.read(p.outputJson);
            for (Aggregates.Bucket b : at(p.millis, p.version)) {
                if (previous != null) {
                    feedback(b, output, Json.read(previous), -1);
                }
                feedback(b, output, Json.read(f.actualJson()), 1);
            }
            latestActual.put(f.predictionId(), f.actualJson());
        }
    }

    /** What a feedback needs of its prediction, and the feedback stored for it before, if any. */
    private record Stored(long millis, String version, String outputJson, String actual) {
    }

    /**
     * Looks the feedback's predictions up (those of this batch are inserted already), 500 ids per
     * query: one statement instead of two per feedback.
     */
    private static Map<Long, Stored> lookUp(Connection c, List<FeedbackRecord> feedback) throws SQLException {
        List<Long> ids = feedback.stream().map(FeedbackRecord::predictionId).distinct().toList();
        Map<Long, Stored> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += LOOKUP_CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + LOOKUP_CHUNK));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT p.id, p.ts_ms, p.model_version, p.output, f.actual"
                    + " FROM predictions p LEFT JOIN feedback f ON f.prediction_id = p.id WHERE p.id IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), new Stored(rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                }
            }
        }
        return out;
    }

    void errors(List<ErrorRecord> errors) {
        for (ErrorRecord e : errors) {
            for (Aggregates.Bucket b : at(e.timestampMillis(), e.modelVersion())) {
                b.errors++;
            }
        }
    }

    private static void feedback(Aggregates.Bucket b, Object output, Object actual, int sign) {
        b.feedback(Labels.normalize(output), Labels.normalize(actual), Labels.toDouble(output), Labels.toDouble(actual), sign);
    }

    /** Merges the changes into their rows. */
    void write(Connection c, boolean sqlite) throws SQLException, IOException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE + " (start_ms, span_ms, model_version, confusion)"
                + " VALUES (?, ?, ?, '[]') ON CONFLICT (start_ms, span_ms, model_version) DO NOTHING");
             PreparedStatement select = c.prepareStatement("SELECT " + TotalsRows.COLUMNS + " FROM " + TABLE
                     + " WHERE start_ms = ? AND span_ms = ? AND model_version = ?" + (sqlite ? "" : " FOR UPDATE"));
             PreparedStatement update = c.prepareStatement("UPDATE " + TABLE + " SET predictions = ?, errors = ?,"
                     + " feedback = ?, correct = ?, latency_count = ?, latency_sum_us = ?, latency_histogram = ?, confusion = ?,"
                     + " abs_error_sum = ?, squared_error_sum = ?, regression_count = ? WHERE start_ms = ? AND span_ms = ? AND model_version = ?")) {
            for (Map.Entry<Key, Aggregates.Bucket> e : changes.entrySet()) {
                Key k = e.getKey();
                insert.setLong(1, k.start);
                insert.setLong(2, k.span);
                insert.setString(3, k.version);
                insert.executeUpdate();
                select.setLong(1, k.start);
                select.setLong(2, k.span);
                select.setString(3, k.version);
                Aggregates.Bucket merged;
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    merged = TotalsRows.bucket(rs);
                }
                Aggregates.merge(merged, e.getValue(), true);
                TotalsRows.bind(update, merged);
                update.setLong(12, k.start);
                update.setLong(13, k.span);
                update.setString(14, k.version);
                update.executeUpdate();
            }
        }
        changes.clear();
    }

    /**
     * Fills the table from the rows of a store written before it existed, once, when it is created.
     *
     * @return the number of minutes written
     */
    static int backfill(Connection c, boolean sqlite) throws SQLException, IOException {
        MinuteTotals totals = new MinuteTotals();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT p.ts_ms, p.model_version, p.latency_us, p.output, f.actual"
                     + " FROM predictions p LEFT JOIN feedback f ON f.prediction_id = p.id")) {
            while (rs.next()) {
                long latency = rs.getLong(3);
                boolean hasLatency = !rs.wasNull() && latency >= 0;
                String actual = rs.getString(5);
                Object output = actual == null ? null : Json.read(rs.getString(4));
                Object actualValue = actual == null ? null : Json.read(actual);
                for (Aggregates.Bucket b : totals.at(rs.getLong(1), rs.getString(2))) {
                    b.predictions++;
                    if (hasLatency) {
                        b.addLatency(latency);
                    }
                    if (actual != null) {
                        feedback(b, output, actualValue, 1);
                    }
                }
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ts_ms, model_version FROM errors")) {
            while (rs.next()) {
                for (Aggregates.Bucket b : totals.at(rs.getLong(1), rs.getString(2))) {
                    b.errors++;
                }
            }
        }
        int minutes = (int) totals.changes.keySet().stream().filter(k -> k.span == MINUTE).count();
        totals.write(c, sqlite);
        return minutes;
    }

    @Override
    public String toString() {
        return "MinuteTotals[" + Objects.requireNonNull(changes).size() + " changed]";
    }
}
