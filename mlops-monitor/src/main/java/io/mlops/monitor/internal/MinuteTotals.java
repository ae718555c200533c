package io.mlops.monitor.internal;

import io.mlops.core.Json;
import io.mlops.monitor.spi.ErrorRecord;
import io.mlops.monitor.spi.FeedbackRecord;
import io.mlops.monitor.spi.PredictionRecord;
import org.HdrHistogram.IntCountsHistogram;

import java.io.IOException;
import java.nio.ByteBuffer;
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
     * Adds feedback; call in the transaction before the feedback is written, so that a feedback
     * replacing a stored one finds it.
     */
    void feedback(Connection c, List<PredictionRecord> predictions, List<FeedbackRecord> feedback)
            throws SQLException, IOException {
        Map<Long, PredictionRecord> batch = new HashMap<>();
        for (PredictionRecord p : predictions) {
            batch.putIfAbsent(p.id(), p);
        }
        Map<Long, String> latestActual = new HashMap<>();
        for (FeedbackRecord f : feedback) {
            Prediction p = batch.containsKey(f.predictionId()) ? Prediction.of(batch.get(f.predictionId()))
                    : Prediction.stored(c, f.predictionId());
            if (p == null) {
                continue; // feedback for a prediction the store does not hold: no metric counts it
            }
            String previous = latestActual.containsKey(f.predictionId()) ? latestActual.get(f.predictionId())
                    : storedActual(c, f.predictionId());
            for (Aggregates.Bucket b : at(p.millis, p.version)) {
                if (previous != null) {
                    feedback(b, p.output, Json.read(previous), -1);
                }
                feedback(b, p.output, Json.read(f.actualJson()), 1);
            }
            latestActual.put(f.predictionId(), f.actualJson());
        }
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

    private static String storedActual(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT actual FROM feedback WHERE prediction_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** What a feedback needs of its prediction. */
    private record Prediction(long millis, String version, Object output) {
        static Prediction of(PredictionRecord p) throws IOException {
            return new Prediction(p.timestampMillis(), p.modelVersion(), Json.read(p.outputJson()));
        }

        static Prediction stored(Connection c, long id) throws SQLException, IOException {
            try (PreparedStatement ps = c.prepareStatement("SELECT ts_ms, model_version, output FROM predictions WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Prediction(rs.getLong(1), rs.getString(2), Json.read(rs.getString(3))) : null;
                }
            }
        }
    }

    /** Merges the changes into their rows. */
    void write(Connection c, boolean sqlite) throws SQLException, IOException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE + " (start_ms, span_ms, model_version, confusion)"
                + " VALUES (?, ?, ?, '[]') ON CONFLICT (start_ms, span_ms, model_version) DO NOTHING");
             PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
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
                    merged = bucket(rs);
                }
                Aggregates.merge(merged, e.getValue(), true);
                bind(update, merged);
                update.setLong(12, k.start);
                update.setLong(13, k.span);
                update.setString(14, k.version);
                update.executeUpdate();
            }
        }
        changes.clear();
    }

    private static final String COLUMNS = "predictions, errors, feedback, correct, latency_count, latency_sum_us,"
            + " latency_histogram, confusion, abs_error_sum, squared_error_sum, regression_count";

    private static Aggregates.Bucket bucket(ResultSet rs) throws SQLException, IOException {
        Aggregates.Bucket b = new Aggregates.Bucket();
        b.predictions = rs.getLong(1);
        b.errors = rs.getLong(2);
        b.feedback = rs.getLong(3);
        b.correct = rs.getLong(4);
        b.latencyCount = rs.getLong(5);
        b.latencySumMicros = rs.getDouble(6);
        byte[] histogram = rs.getBytes(7);
        if (histogram != null) {
            try {
                b.latency = IntCountsHistogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(histogram), 0);
            } catch (java.util.zip.DataFormatException | RuntimeException e) {
                throw new IOException("an unreadable latency histogram in " + TABLE + ": " + e, e);
            }
        }
        String confusion = rs.getString(8);
        if (confusion == null) {
            b.confusionIncomplete = true;
        } else if (Json.read(confusion) instanceof List<?> triples) {
            for (Object t : triples) {
                List<?> triple = (List<?>) t;
                b.confusion.put(triple.get(0) + "\u0000" + triple.get(1), ((Number) triple.get(2)).longValue());
            }
        }
        b.absErrorSum = rs.getDouble(9);
        b.squaredErrorSum = rs.getDouble(10);
        b.regressionCount = rs.getLong(11);
        return b;
    }

    private static void bind(PreparedStatement ps, Aggregates.Bucket b) throws SQLException {
        ps.setLong(1, b.predictions);
        ps.setLong(2, b.errors);
        ps.setLong(3, b.feedback);
        ps.setLong(4, b.correct);
        ps.setLong(5, b.latencyCount);
        ps.setDouble(6, b.latencySumMicros);
        if (b.latency == null) {
            ps.setBytes(7, null);
        } else {
            ByteBuffer buffer = ByteBuffer.allocate(b.latency.getNeededByteBufferCapacity());
            int n = b.latency.encodeIntoCompressedByteBuffer(buffer);
            ps.setBytes(7, java.util.Arrays.copyOf(buffer.array(), n));
        }
        ps.setString(8, confusionJson(b));
        ps.setDouble(9, b.absErrorSum);
        ps.setDouble(10, b.squaredErrorSum);
        ps.setLong(11, b.regressionCount);
    }

    /** The most (actual, predicted) pairs a row keeps, and the longest label: more is not a classifier's. */
    static final int MAX_PAIRS = 1_000;
    static final int MAX_LABEL_CHARS = 256;

    /**
     * The confusion counts as JSON triples {@code [actual, predicted, count]}, or null when they do
     * not fit: then the row says its confusion is incomplete, and classification metrics over a
     * window that includes it are recomputed from the rows.
     */
    private static String confusionJson(Aggregates.Bucket b) {
        if (b.confusionIncomplete || b.confusion.size() > MAX_PAIRS) {
            return null;
        }
        List<List<Object>> triples = new java.util.ArrayList<>();
        for (Map.Entry<String, Long> e : b.confusion.entrySet()) {
            int sep = e.getKey().indexOf('\u0000');
            if (sep > MAX_LABEL_CHARS || e.getKey().length() - sep - 1 > MAX_LABEL_CHARS) {
                return null;
            }
            if (e.getValue() != 0) {
                triples.add(List.of(e.getKey().substring(0, sep), e.getKey().substring(sep + 1), e.getValue()));
            }
        }
        return Json.write(triples, Integer.MAX_VALUE, "the confusion counts");
    }

    /** The window's merged bucket, and the first and last minute with traffic (-1: none). */
    record Totals(Aggregates.Bucket sum, long firstMillis, long lastMillis) {
    }

    /**
     * Reads and merges the rows of a window (null version: all): whole hours from the hour rows, the
     * minutes at the edges from the minute rows, as the live aggregates do.
     */
    static Totals read(Connection c, long from, long to, String version) throws SQLException, IOException {
        Aggregates.Bucket sum = new Aggregates.Bucket();
        long firstHour = Math.floorDiv(from + HOUR - 1, HOUR) * HOUR;
        long endHour = Math.floorDiv(to, HOUR) * HOUR;
        if (firstHour < endHour) {
            merge(c, sum, HOUR, firstHour, endHour, version);
            merge(c, sum, MINUTE, from, firstHour, version);
            merge(c, sum, MINUTE, endHour, to, version);
        } else {
            merge(c, sum, MINUTE, from, to, version);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(start_ms), MAX(start_ms) FROM " + TABLE
                + " WHERE span_ms = ? AND start_ms >= ? AND start_ms < ? AND predictions + errors > 0"
                + (version == null ? "" : " AND model_version = ?"))) {
            bindRange(ps, MINUTE, from, to, version);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long first = rs.getLong(1);
                return rs.wasNull() ? new Totals(sum, -1, -1) : new Totals(sum, first, rs.getLong(2));
            }
        }
    }

    private static void merge(Connection c, Aggregates.Bucket sum, long span, long from, long to, String version)
            throws SQLException, IOException {
        if (from >= to) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
                + " WHERE span_ms = ? AND start_ms >= ? AND start_ms < ?" + (version == null ? "" : " AND model_version = ?"))) {
            bindRange(ps, span, from, to, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Aggregates.merge(sum, bucket(rs), true);
                }
            }
        }
    }

    private static void bindRange(PreparedStatement ps, long span, long from, long to, String version) throws SQLException {
        ps.setLong(1, span);
        ps.setLong(2, from);
        ps.setLong(3, to);
        if (version != null) {
            ps.setString(4, version);
        }
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
