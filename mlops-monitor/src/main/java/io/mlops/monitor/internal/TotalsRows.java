package io.mlops.monitor.internal;

import io.mlops.core.Json;
import org.HdrHistogram.IntCountsHistogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code metric_totals} ({@link MinuteTotals} writes them): a bucket to and from a row,
 * and the merge of a window's rows as the live aggregates merge their buckets.
 */
final class TotalsRows {

    private TotalsRows() {
    }

    /** A totals row that does not read: its minute or hour is rebuilt or read from the rows instead. */
    static final class Damaged extends IOException {
        private static final long serialVersionUID = 1L;

        Damaged(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final String COLUMNS = "predictions, errors, feedback, correct, latency_count, latency_sum_us,"
            + " latency_histogram, confusion, abs_error_sum, squared_error_sum, regression_count, estimated";

    static Aggregates.Bucket bucket(ResultSet rs) throws SQLException, IOException {
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
                throw new Damaged("an unreadable latency histogram in " + MinuteTotals.TABLE + ": " + e, e);
            }
        }
        String confusion = rs.getString(8);
        if (confusion == null) {
            b.confusionIncomplete = true;
        } else {
            try {
                for (Object t : (List<?>) Json.read(confusion)) {
                    List<?> triple = (List<?>) t;
                    b.confusion.put(triple.get(0) + "\u0000" + triple.get(1), ((Number) triple.get(2)).longValue());
                }
            } catch (IOException | RuntimeException e) {
                throw new Damaged("unreadable confusion counts in " + MinuteTotals.TABLE + ": " + e, e);
            }
        }
        b.absErrorSum = rs.getDouble(9);
        b.squaredErrorSum = rs.getDouble(10);
        b.regressionCount = rs.getLong(11);
        String estimated = rs.getString(12);
        if (estimated != null) {
            try {
                for (Object t : (List<?>) Json.read(estimated)) {
                    List<?> triple = (List<?>) t;
                    double count = ((Number) triple.get(1)).doubleValue();
                    double sum = ((Number) triple.get(2)).doubleValue();
                    if (!(count >= 0 && sum >= 0 && sum <= count)) {
                        throw new IllegalArgumentException("estimate " + sum + " of " + count + " predictions");
                    }
                    b.estimated.put((String) triple.get(0), new double[] {count, sum});
                }
            } catch (IOException | RuntimeException e) {
                throw new Damaged("unreadable estimated sums in " + MinuteTotals.TABLE + ": " + e, e);
            }
        }
        return b;
    }

    static void bind(PreparedStatement ps, Aggregates.Bucket b) throws SQLException {
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
        ps.setString(12, estimatedJson(b));
    }

    /**
     * The estimated sums as JSON triples {@code [predicted, count, sum]}, or null when there are none
     * or they do not fit (more labels or longer ones than a confusion row keeps: not a classifier's).
     */
    private static String estimatedJson(Aggregates.Bucket b) {
        if (b.estimated.isEmpty() || b.estimated.size() > MAX_PAIRS) {
            return null;
        }
        List<List<Object>> triples = new java.util.ArrayList<>();
        for (Map.Entry<String, double[]> e : b.estimated.entrySet()) {
            if (e.getKey().length() > MAX_LABEL_CHARS) {
                return null;
            }
            triples.add(List.of(e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
        return Json.write(triples, Integer.MAX_VALUE, "the estimated sums");
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
        long firstHour = Math.floorDiv(from + MinuteTotals.HOUR - 1, MinuteTotals.HOUR) * MinuteTotals.HOUR;
        long endHour = Math.floorDiv(to, MinuteTotals.HOUR) * MinuteTotals.HOUR;
        if (firstHour < endHour) {
            merge(c, sum, MinuteTotals.HOUR, firstHour, endHour, version);
            merge(c, sum, MinuteTotals.MINUTE, from, firstHour, version);
            merge(c, sum, MinuteTotals.MINUTE, endHour, to, version);
        } else {
            merge(c, sum, MinuteTotals.MINUTE, from, to, version);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(start_ms), MAX(start_ms) FROM " + MinuteTotals.TABLE
                + " WHERE span_ms = ? AND start_ms >= ? AND start_ms < ? AND predictions + errors > 0"
                + (version == null ? "" : " AND model_version = ?"))) {
            bindRange(ps, MinuteTotals.MINUTE, from, to, version);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long first = rs.getLong(1);
                return rs.wasNull() ? new Totals(sum, -1, -1) : new Totals(sum, first, rs.getLong(2));
            }
        }
    }

    /**
     * Feeds every stored minute and hour from {@code from} on into live aggregates, as a monitor
     * does when it opens: one row per minute and hour instead of every prediction.
     *
     * @return the predictions and errors of the minutes read
     */
    static long[] load(Connection c, long from, Aggregates into) throws SQLException, IOException {
        record Row(long start, boolean hour, String version, Aggregates.Bucket bucket) {
        }
        List<Row> rows = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", start_ms, span_ms, model_version FROM "
                + MinuteTotals.TABLE + " WHERE start_ms >= ?")) {
            ps.setLong(1, Math.floorDiv(from, MinuteTotals.HOUR) * MinuteTotals.HOUR);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean hour = rs.getLong(14) == MinuteTotals.HOUR;
                    if (hour || rs.getLong(13) >= from) {
                        rows.add(new Row(rs.getLong(13), hour, rs.getString(15), bucket(rs)));
                    }
                }
            }
        }
        // all read before any is added: an unreadable row leaves the aggregates untouched
        long[] counts = new long[2];
        for (Row r : rows) {
            into.add(r.start(), r.hour(), r.version(), r.bucket());
            if (!r.hour()) {
                counts[0] += r.bucket().predictions;
                counts[1] += r.bucket().errors;
            }
        }
        return counts;
    }

    private static void merge(Connection c, Aggregates.Bucket sum, long span, long from, long to, String version)
            throws SQLException, IOException {
        if (from >= to) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + MinuteTotals.TABLE
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
}
