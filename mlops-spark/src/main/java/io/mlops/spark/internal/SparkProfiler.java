package io.mlops.spark.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.core.ValidationException;
import io.mlops.drift.ReferenceProfile;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import io.mlops.drift.stats.QuantilePoints;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The drift profile of a Spark {@code Dataset<Row>} in one distributed pass: each partition
 * summarises its rows ({@link ColumnSummaries}), the summaries are merged by a tree reduction
 * (no row reaches the driver), and the driver writes the merged summary as the profile's format 2.
 * Stateless; thread-safe as Spark's own jobs are.
 */
public final class SparkProfiler {

    private SparkProfiler() {
    }

    /**
     * @param data the rows
     * @param psiBins the PSI bins of numeric columns, {@code >= 2}
     * @param ignored columns left out
     * @return the profile
     */
    public static ReferenceProfile profile(Dataset<Row> data, int psiBins, Set<String> ignored) {
        if (psiBins < 2) {
            throw new IllegalArgumentException("psiBins must be >= 2 but was " + psiBins);
        }
        List<String> names = new ArrayList<>();
        List<Boolean> kinds = new ArrayList<>();
        for (StructField f : data.schema().fields()) {
            if (ignored.contains(f.name())) {
                continue;
            }
            names.add(f.name());
            kinds.add(kind(f));
        }
        List<String> unknown = new ArrayList<>(ignored);
        unknown.removeAll(Arrays.asList(data.schema().fieldNames()));
        if (!unknown.isEmpty()) {
            throw new ValidationException("Cannot ignore columns the DataFrame does not have: " + unknown);
        }
        if (names.isEmpty()) {
            throw new ValidationException("The DataFrame has no column to profile");
        }
        String[] columns = names.toArray(new String[0]);
        boolean[] numeric = new boolean[columns.length];
        for (int j = 0; j < numeric.length; j++) {
            numeric[j] = kinds.get(j);
        }
        ColumnSummaries merged = SparkJobs.run("profile the DataFrame", () -> summarise(data, columns, numeric));
        if (merged.refusal != null) {
            throw new ValidationException(merged.refusal); // found by a task: reported here, not as a failed task
        }
        if (merged.rows == 0) {
            throw new ValidationException("The DataFrame has no rows: a reference profile needs at least one");
        }
        return ReferenceProfile.fromJson(json(merged, psiBins));
    }

    /** One distributed pass: a summary per partition, merged by a tree reduction. */
    private static ColumnSummaries summarise(Dataset<Row> data, String[] columns, boolean[] numeric) {
        JavaRDD<Row> rows = data.select(Arrays.stream(columns).map(c -> new Column(quoted(c))).toArray(Column[]::new)).javaRDD();
        JavaRDD<byte[]> parts = rows.mapPartitions(it -> {
            ColumnSummaries s = new ColumnSummaries(columns, numeric);
            while (it.hasNext()) {
                s.add(it.next());
            }
            return List.of(s.encode()).iterator();
        });
        return rows.getNumPartitions() == 0 ? new ColumnSummaries(columns, numeric)
                : ColumnSummaries.decode(parts.treeReduce(ColumnSummaries::merge, 2));
    }

    /**
     * The columns of a DataFrame outside {@code keep} whose types a profile cannot hold (left out of
     * a current side's profile; a column in {@code keep} is refused instead).
     *
     * @param data the rows
     * @param keep the columns that must be profiled
     * @return the others of unsupported types
     */
    public static Set<String> unprofilable(Dataset<Row> data, java.util.Collection<String> keep) {
        Set<String> out = new java.util.HashSet<>();
        for (StructField f : data.schema().fields()) {
            if (!keep.contains(f.name())) {
                try {
                    kind(f);
                } catch (ValidationException e) {
                    out.add(f.name());
                }
            }
        }
        return out;
    }

    /** True for numeric, false for categorical; other types are refused naming the column. */
    private static boolean kind(StructField f) {
        DataType t = f.dataType();
        if (t instanceof DoubleType || t instanceof FloatType || t instanceof IntegerType || t instanceof LongType
                || t instanceof ShortType || t instanceof ByteType || t instanceof DecimalType) {
            return true;
        }
        if (t instanceof StringType || t instanceof BooleanType) {
            return false;
        }
        throw new ValidationException("Column '" + f.name() + "' is of type " + t.simpleString() + ", which a profile cannot"
                + " hold: numbers, strings and booleans only (cast it, or leave it out with ignore)");
    }

    /** A column name as Spark's column expression parser reads it literally. */
    private static String quoted(String name) {
        return '`' + name.replace("`", "``") + '`';
    }

    private static String json(ColumnSummaries s, int psiBins) {
        ObjectNode root = io.mlops.core.Json.mapper().createObjectNode();
        root.put("format", 2);
        root.put("rowCount", s.rows);
        root.put("psiBins", psiBins);
        ArrayNode out = root.putArray("columns");
        double error = KllSketch.getNormalizedRankError(ColumnSummaries.K, false);
        for (int j = 0; j < s.names.length; j++) {
            ObjectNode n = out.addObject();
            n.put("name", s.names[j]);
            n.put("type", s.numeric[j] ? "NUMERIC" : "CATEGORICAL");
            n.put("missing", s.missing[j]);
            if (!s.numeric[j]) {
                ObjectNode counts = n.putObject("counts");
                new TreeMap<>(s.categories[j]).forEach(counts::put);
                continue;
            }
            long count = s.count[j];
            n.put("count", count);
            putFinite(n, "mean", count == 0 ? Double.NaN : s.mean[j]);
            putFinite(n, "std", count < 2 ? Double.NaN : Math.sqrt(s.squares[j] / (count - 1)));
            ArrayNode edges = n.putArray("edges");
            ArrayNode proportions = n.putArray("proportions");
            if (count == 0) {
                n.put("quantiles", "");
                continue;
            }
            KllDoublesSketch sketch = s.sketches[j];
            double[] cut = edges(sketch, psiBins);
            double[] cdf = sketch.getCDF(cut, QuantileSearchCriteria.INCLUSIVE);
            double previous = 0;
            for (int i = 0; i < cut.length; i++) {
                edges.add(cut[i]);
                proportions.add(cdf[i] - previous);
                previous = cdf[i];
            }
            proportions.add(1.0 - previous);
            n.put("quantiles", points(sketch, count));
            if (sketch.isEstimationMode()) {
                n.put("rankError", error);
            }
        }
        try {
            return io.mlops.core.Json.writer().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a profile of plain values always serialises", e);
        }
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
