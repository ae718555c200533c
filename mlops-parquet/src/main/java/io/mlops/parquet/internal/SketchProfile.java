package io.mlops.parquet.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.core.MlopsException;
import io.mlops.core.StorageException;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import io.mlops.drift.stats.QuantilePoints;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The numeric columns of a drift profile in one pass over the source, for sources beyond the
 * exact budget: one streamed scan feeds every column's finite values into a KLL quantile sketch
 * (Apache DataSketches, the monitor's kind, with k = {@value #K}) and into its count, mean and
 * standard deviation (Welford's update), on worker threads ({@link ColumnSketches}); the quantile
 * points and PSI edges are read from the sketches, and one more pass in the engine counts the
 * values in each PSI bin (exact proportions of estimated edges). Each column records the sketch's rank error bound
 * ({@code rankError}), which a drift report repeats. Not thread-safe; one per call.
 */
final class SketchProfile {

    /** The sketches' size parameter: normalised rank error 0.071% (99% confidence), about 100 KB a column. */
    static final int K = 4096;

    private SketchProfile() {
    }

    /**
     * Fills the nodes of the numeric columns.
     *
     * @param s a statement on the engine that has the view {@code src}
     * @param columns the numeric columns
     * @param nodes their profile nodes, in the same order (name and type already set)
     * @param rows the source's rows
     * @param psiBins the PSI bins
     * @param progress hears the rows scanned of all the rows
     */
    static void numeric(Statement s, List<ParquetTables.Column> columns, List<ObjectNode> nodes, long rows, int psiBins,
                        io.mlops.core.ProgressListener progress) throws SQLException {
        int n = columns.size();
        if (n == 0) {
            return;
        }
        // every column as a double, non-finite values as NULL: what counts, sketches and bins leave out
        StringBuilder values = new StringBuilder("(SELECT ");
        for (int j = 0; j < n; j++) {
            String x = "CAST(" + DuckDb.identifier(columns.get(j).name()) + " AS DOUBLE) + 0.0";
            values.append(j == 0 ? "" : ", ").append("CASE WHEN isfinite(").append(x).append(") THEN ").append(x)
                    .append(" END AS x").append(j);
        }
        String doubles = values.append(" FROM src)").toString();
        double error = KllSketch.getNormalizedRankError(K, false);
        StringBuilder below = new StringBuilder("SELECT count(*)");
        double[][] edges = new double[n][];
        long[] counts = new long[n];
        try (ColumnSketches sketches = scan(s, doubles, n, rows, progress)) {
            for (int j = 0; j < n; j++) {
                ObjectNode node = nodes.get(j);
                counts[j] = sketches.count(j);
                node.put("missing", rows - counts[j]);
                node.put("count", counts[j]);
                putFinite(node, "mean", sketches.mean(j));
                putFinite(node, "std", sketches.std(j));
                if (counts[j] == 0) {
                    node.putArray("edges");
                    node.putArray("proportions");
                    node.put("quantiles", "");
                    continue;
                }
                KllDoublesSketch sketch = sketches.sketch(j);
                edges[j] = edges(sketch, psiBins);
                for (double edge : edges[j]) {
                    // a sum of 0/1 is several times faster in the engine than count(*) FILTER (...)
                    below.append(", CAST(sum(CAST(x").append(j).append(" <= ").append(DuckProfile.literal(edge))
                            .append(" AS INTEGER)) AS BIGINT)");
                }
                node.put("quantiles", points(sketch, counts[j]));
                if (sketch.getN() > sketch.getNumRetained()) {
                    node.put("rankError", error); // below about 3k values the sketch holds them all: exact
                }
            }
        }
        // the bins' proportions, exact: one more pass in the engine counts the values at or below each edge
        try (ResultSet rs = s.executeQuery(below + " FROM " + doubles)) {
            rs.next();
            int at = 2;
            for (int j = 0; j < n; j++) {
                if (edges[j] == null) {
                    continue;
                }
                ArrayNode e = nodes.get(j).putArray("edges");
                ArrayNode p = nodes.get(j).putArray("proportions");
                long previous = 0;
                for (double edge : edges[j]) {
                    long atOrBelow = rs.getLong(at++);
                    e.add(edge);
                    p.add((atOrBelow - previous) / (double) counts[j]);
                    previous = atOrBelow;
                }
                p.add((counts[j] - previous) / (double) counts[j]);
            }
        }
    }

    /** One streamed scan: every finite value into its column's sketch and moments, on worker threads. */
    private static ColumnSketches scan(Statement s, String doubles, int n, long rows, io.mlops.core.ProgressListener progress)
            throws SQLException {
        ColumnSketches sketches = new ColumnSketches(n, K);
        long row = 0;
        progress.progress(0, rows);
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + doubles)) {
            while (rs.next()) {
                for (int j = 0; j < n; j++) {
                    double v = rs.getDouble(j + 1);
                    if (!rs.wasNull()) {
                        sketches.add(j, v);
                    }
                }
                sketches.endRow();
                if ((++row & 0xfffff) == 0) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new MlopsException("Profiling was interrupted after " + row + " rows");
                    }
                    progress.progress(row, rows);
                }
            }
            sketches.finish();
        } catch (InterruptedException e) {
            sketches.close();
            Thread.currentThread().interrupt();
            throw new MlopsException("Profiling was interrupted after " + row + " rows", e);
        } catch (SQLException | RuntimeException e) {
            sketches.close();
            throw e;
        }
        if (row != rows) {
            sketches.close();
            throw new StorageException("The source changed while it was profiled (" + row + " rows of " + rows + ")");
        }
        progress.progress(row, rows);
        return sketches;
    }

    /** The distinct interior PSI edges: the sketch's quantiles at i / bins. */
    private static double[] edges(KllDoublesSketch sketch, int bins) {
        return QuantilePoints.edges(bins, ranks -> sketch.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE));
    }

    /** The quantile points of the profile's format 2, from the sketch, as the profile writes them. */
    private static String points(KllDoublesSketch sketch, long count) {
        return QuantilePoints.encode(QuantilePoints.points(count, ranks -> sketch.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE)));
    }

    private static void putFinite(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }
}
