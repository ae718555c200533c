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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MinuteTotals.class);

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
            String predicted = p.expectedCorrect() == null ? null : predictedLabel(p);
            for (Aggregates.Bucket b : at(p.timestampMillis(), p.modelVersion())) {
                b.predictions++;
                if (p.latencyMicros() >= 0) {
                    b.addLatency(p.latencyMicros());
                }
                if (p.expectedCorrect() != null) {
                    b.estimate(predicted, p.expectedCorrect());
                }
            }
        }
    }

    /** The label a prediction's output normalises to (the monitor checked its JSON when it was logged). */
    private static String predictedLabel(PredictionRecord p) {
        try {
            return p.outputJson() == null ? null : Labels.normalize(Json.read(p.outputJson()));
        } catch (IOException e) {
            throw new IllegalStateException("a logged output that does not read back: " + e.getMessage(), e);
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
            latestActual.put(f.predictionId(), f.actualJson());
            Object output;
            Object before;
            Object actual;
            try {
                output = Json.read(p.outputJson);
                before = previous == null ? null : Json.read(previous);
                actual = Json.read(f.actualJson());
            } catch (IOException damaged) {
                // a stored row edited into something unreadable: this feedback is left out of the
                // totals (the row scan still counts what it can), the batch goes on
                LOG.warn("Leaving feedback for prediction {} out of {}: {}", f.predictionId(), TABLE, damaged.getMessage());
                continue;
            }
            for (Aggregates.Bucket b : at(p.millis, p.version)) {
                if (previous != null) {
                    feedback(b, output, before, -1);
                }
                feedback(b, output, actual, 1);
            }
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
                     + " abs_error_sum = ?, squared_error_sum = ?, regression_count = ?, estimated = ?"
                     + " WHERE start_ms = ? AND span_ms = ? AND model_version = ?")) {
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
                    Aggregates.merge(merged, e.getValue(), true);
                } catch (TotalsRows.Damaged damaged) {
                    // one unreadable row must not stop every later batch: rebuild it from its rows
                    LOG.warn("Rebuilding the unreadable {} row of {} at {} from the stored rows: {}", TABLE, k.version,
                            k.start, damaged.getMessage());
                    merged = recompute(c, k);
                }
                TotalsRows.bind(update, merged);
                update.setLong(13, k.start);
                update.setLong(14, k.span);
                update.setString(15, k.version);
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
        totals.fill(c, Long.MIN_VALUE, Long.MAX_VALUE);
        int minutes = (int) totals.changes.keySet().stream().filter(k -> k.span == MINUTE).count();
        totals.write(c, sqlite);
        return minutes;
    }

    /** Adds the stored rows of [from, to) as changes. */
    private void fill(Connection c, long from, long to) throws SQLException, IOException {
        try (PreparedStatement ps = c.prepareStatement("SELECT p.ts_ms, p.model_version, p.latency_us, p.output, f.actual,"
                + " p.expected_correct FROM predictions p LEFT JOIN feedback f ON f.prediction_id = p.id"
                + " WHERE p.ts_ms >= ? AND p.ts_ms < ?")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long latency = rs.getLong(3);
                    boolean hasLatency = !rs.wasNull() && latency >= 0;
                    String actual = rs.getString(5);
                    double expected = rs.getDouble(6);
                    boolean estimated = !rs.wasNull();
                    Object output = actual == null && !estimated ? null : Json.read(rs.getString(4));
                    Object actualValue = actual == null ? null : Json.read(actual);
                    for (Aggregates.Bucket b : at(rs.getLong(1), rs.getString(2))) {
                        b.predictions++;
                        if (hasLatency) {
                            b.addLatency(latency);
                        }
                        if (estimated) {
                            b.estimate(Labels.normalize(output), expected);
                        }
                        if (actual != null) {
                            feedback(b, output, actualValue, 1);
                        }
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT ts_ms, model_version FROM errors WHERE ts_ms >= ? AND ts_ms < ?")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (Aggregates.Bucket b : at(rs.getLong(1), rs.getString(2))) {
                        b.errors++;
                    }
                }
            }
        }
    }

    /**
     * The bucket of one stored row rebuilt from the rows it sums (this batch's included, as they
     * are inserted before the totals are written): the repair of a row that no longer reads.
     */
    private static Aggregates.Bucket recompute(Connection c, Key key) throws SQLException, IOException {
        MinuteTotals one = new MinuteTotals();
        one.fill(c, key.start, key.start + key.span);
        Aggregates.Bucket b = one.changes.get(key);
        return b == null ? new Aggregates.Bucket() : b;
    }

    @Override
    public String toString() {
        return "MinuteTotals[" + Objects.requireNonNull(changes).size() + " changed]";
    }
}
