package io.mlops.parquet.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.core.StorageException;
import io.mlops.core.ValidationException;
import io.mlops.drift.ReferenceProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;

/**
 * A drift reference profile of a Parquet source of any size, computed by DuckDB outside the heap:
 * per numeric column the count, mean and standard deviation of its finite values, its PSI edges
 * (NumPy's linear quantiles) and proportions, and its quantile points (the order statistics
 * {@code x[ceil(k n / K)]}, {@code K = min(n, ceil(16 sqrt(n)))}), all exact: each numeric column
 * is sorted once by the engine (on disk beyond its memory cap) and streamed, and the edges and
 * points are picked at their ranks on the way ({@link RankPicker}); per categorical column its
 * category counts.
 * The result is the profile's documented format 2, read back with {@link ReferenceProfile#fromJson}:
 * the same profile a detector would make from the data in the heap. Thread-safe: an engine per call.
 */
public final class DuckProfile {

    private DuckProfile() {
    }

    /**
     * @param source a Parquet file or folder
     * @param psiBins the PSI bins of numeric columns, {@code >= 2}
     * @return the profile
     */
    public static ReferenceProfile profile(Path source, int psiBins) {
        return profile(source, psiBins, io.mlops.core.ProgressListener.NONE);
    }

    /**
     * @param source a Parquet file or folder
     * @param psiBins the PSI bins of numeric columns, {@code >= 2}
     * @param progress hears the columns profiled of all the columns
     * @return the profile
     */
    public static ReferenceProfile profile(Path source, int psiBins, io.mlops.core.ProgressListener progress) {
        return profile(source, psiBins, Long.MAX_VALUE, progress);
    }

    /**
     * @param source a Parquet file or folder
     * @param psiBins the PSI bins of numeric columns, {@code >= 2}
     * @param exactRows the most rows profiled exactly; a larger source is sketched ({@link SketchProfile})
     * @param progress hears the columns profiled of all the columns (exact), or the rows scanned of all the rows (sketched)
     * @return the profile
     */
    public static ReferenceProfile profile(Path source, int psiBins, long exactRows, io.mlops.core.ProgressListener progress) {
        if (psiBins < 2) {
            throw new IllegalArgumentException("psiBins must be >= 2 but was " + psiBins);
        }
        if (exactRows < 0) {
            throw new IllegalArgumentException("exactRows must be >= 0 but was " + exactRows);
        }
        try (DuckDb db = DuckDb.open()) {
            List<ParquetTables.Column> columns = CsvSource.isCsv(source) ? CsvSource.load(db, source) : parquet(db, source);
            ObjectNode root = io.mlops.core.Json.mapper().createObjectNode();
            root.put("format", 2);
            try (Statement s = db.statement("profiling " + source)) {
                long rows = DuckRowDiff.count(s, "SELECT count(*) FROM src");
                root.put("rowCount", rows);
                root.put("psiBins", psiBins);
                ArrayNode out = root.putArray("columns");
                boolean sketched = rows > exactRows;
                List<ParquetTables.Column> numeric = new java.util.ArrayList<>();
                List<ObjectNode> numericNodes = new java.util.ArrayList<>();
                int done = 0;
                if (!sketched) {
                    progress.progress(0, columns.size());
                }
                for (ParquetTables.Column col : columns) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new io.mlops.core.MlopsException("Profiling " + source + " was interrupted");
                    }
                    ObjectNode n = out.addObject();
                    n.put("name", col.name());
                    if (col.kind() == ParquetTables.Kind.NUMERIC) {
                        n.put("type", "NUMERIC");
                        if (sketched) {
                            numeric.add(col);
                            numericNodes.add(n);
                            continue;
                        }
                        numeric(s, col, rows, psiBins, n);
                    } else {
                        n.put("type", "CATEGORICAL");
                        categorical(s, col, n);
                    }
                    if (!sketched) {
                        progress.progress(++done, columns.size());
                    }
                }
                if (sketched) {
                    SketchProfile.numeric(s, numeric, numericNodes, rows, psiBins, progress);
                }
            } catch (SQLException e) {
                if (db.interrupted()) {
                    throw new io.mlops.core.MlopsException("Profiling " + source + " was interrupted", e);
                }
                throw new StorageException("Cannot profile " + source + ": " + db.describe(e), e);
            }
            return ReferenceProfile.fromJson(io.mlops.core.Json.writer().writeValueAsString(root));
        } catch (IOException e) {
            throw new StorageException("Cannot profile " + source + ": " + e.getMessage(), e);
        }
    }

    /** Makes the view {@code src} of a Parquet file or folder, checked. */
    private static List<ParquetTables.Column> parquet(DuckDb db, Path source) throws IOException {
        Connection c = db.connection();
        String scan = ParquetTables.scan(ParquetTables.files(source), Files.isDirectory(source));
        try (Statement s = c.createStatement()) {
            List<ParquetTables.Column> columns = ParquetTables.columns(c, scan, source.toString());
            ParquetTables.checkExactIntegers(c, scan, columns, source.toString());
            s.execute("CREATE VIEW src AS SELECT * FROM " + scan);
            return columns;
        } catch (SQLException e) {
            throw new ValidationException("Cannot read " + source + " as Parquet: " + db.describe(e), e);
        }
    }

    private static void numeric(Statement s, ParquetTables.Column col, long rows, int psiBins, ObjectNode n) throws SQLException {
        String finite = "(SELECT CAST(" + DuckDb.identifier(col.name()) + " AS DOUBLE) + 0.0 AS x FROM src) WHERE isfinite(x)";
        long count;
        double mean;
        double std;
        try (ResultSet rs = s.executeQuery("SELECT count(*), avg(x), stddev_samp(x) FROM " + finite)) {
            rs.next();
            count = rs.getLong(1);
            mean = rs.getDouble(2);
            mean = rs.wasNull() ? Double.NaN : mean;
            std = rs.getDouble(3);
            std = rs.wasNull() ? Double.NaN : std;
        }
        n.put("missing", rows - count);
        n.put("count", count);
        putFinite(n, "mean", mean);
        putFinite(n, "std", std);
        ArrayNode edges = n.putArray("edges");
        ArrayNode proportions = n.putArray("proportions");
        if (count == 0) {
            n.put("quantiles", "");
            return;
        }
        RankPicker picker = new RankPicker(count, psiBins);
        // one external sort (on disk beyond the engine's memory cap), streamed: the ranks are picked on the way
        try (ResultSet rs = s.executeQuery("SELECT x FROM " + finite + " ORDER BY x")) {
            long rank = 0;
            while (rs.next()) {
                picker.offer(rank++, rs.getDouble(1));
                if ((rank & 0xfffff) == 0 && Thread.currentThread().isInterrupted()) {
                    throw new io.mlops.core.MlopsException("Profiling column '" + col.name() + "' was interrupted");
                }
            }
            if (rank != count) {
                throw new StorageException("Column '" + col.name() + "' changed while it was profiled (" + rank + " values of "
                        + count + ")");
            }
        }
        double[] cut = picker.edges();
        StringBuilder below = new StringBuilder("SELECT ");
        for (int i = 0; i < cut.length; i++) {
            edges.add(cut[i]);
            below.append(i == 0 ? "" : ", ").append("count(*) FILTER (WHERE x <= ").append(literal(cut[i])).append(')');
        }
        long previous = 0;
        if (cut.length > 0) {
            try (ResultSet rs = s.executeQuery(below + " FROM " + finite)) {
                rs.next();
                for (int i = 0; i < cut.length; i++) {
                    long atOrBelow = rs.getLong(i + 1);
                    proportions.add((atOrBelow - previous) / (double) count);
                    previous = atOrBelow;
                }
            }
        }
        proportions.add((count - previous) / (double) count);
        n.put("quantiles", Base64.getEncoder().encodeToString(picker.points()));
    }

    private static void categorical(Statement s, ParquetTables.Column col, ObjectNode n) throws SQLException {
        String x = "CAST(" + DuckDb.identifier(col.name()) + " AS VARCHAR)";
        long missing = DuckRowDiff.count(s, "SELECT count(*) FROM src WHERE " + x + " IS NULL");
        n.put("missing", missing);
        ObjectNode counts = n.putObject("counts");
        try (ResultSet rs = s.executeQuery("SELECT " + x + " AS x, count(*) FROM src WHERE " + x + " IS NOT NULL GROUP BY x ORDER BY x")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
    }

    private static void putFinite(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }

    /** A double as an exact SQL literal. */
    static String literal(double v) {
        return "CAST('" + v + "' AS DOUBLE)"; // Double.toString reads back as the very same double
    }
}
