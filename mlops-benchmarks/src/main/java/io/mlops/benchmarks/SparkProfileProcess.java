package io.mlops.benchmarks;

import io.mlops.core.Dataset;
import io.mlops.drift.DriftReport;
import io.mlops.drift.ReferenceProfile;
import io.mlops.spark.SparkDrift;
import io.mlops.spark.SparkProfiles;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.randn;

/**
 * Spark's profile of a table beside the single JVM's profile of the same rows, in one process: Spark
 * ({@code local[2]}) writes ROWS x 25 normal doubles as Parquet once; then per repetition the single
 * JVM reads them into the heap and profiles them ({@code ReferenceProfile.of}, exact) and Spark
 * profiles the same files ({@link SparkProfiles}, one pass); optionally a drift check of a generated
 * table of DRIFT_ROWS rows a side that is never written ({@link SparkDrift}). Prints seconds and
 * the heap's peak (all heap pools) of each phase. Spark comes from the class path:
 *
 * <pre>
 * java -Xmx8g $SPARK_OPENS -cp mlops-benchmarks/target/benchmarks.jar:$(cat spark.cp) \
 *     io.mlops.benchmarks.SparkProfileProcess 10000000 /var/tmp/spark-bench 3 [DRIFT_ROWS]
 * </pre>
 */
public final class SparkProfileProcess {

    private static final int COLUMNS = 25;

    private SparkProfileProcess() {
    }

    /**
     * @param args rows, folder, repetitions, and optionally the rows a side of the drift check
     */
    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(args[0]);
        Path dir = Path.of(args[1]);
        int reps = Integer.parseInt(args[2]);
        long driftRows = args.length > 3 ? Long.parseLong(args[3]) : 0;
        SparkSession spark = SparkSession.builder().master("local[2]").appName("mlops-bench")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        Path table = dir.resolve("table-" + rows);
        if (!Files.isDirectory(table)) {
            spark.range(0, rows, 1, 16).select(columns(1, 0)).write().parquet(table.toUri().toString());
        }
        for (int rep = 1; rep <= reps; rep++) {
            resetPeaks();
            long t0 = System.nanoTime();
            Dataset heap = Dataset.readParquet(table);
            long t1 = System.nanoTime();
            ReferenceProfile single = ReferenceProfile.of(heap, 10);
            single.toJson();
            double singleSeconds = (System.nanoTime() - t1) / 1e9;
            heap = null;
            long singlePeak = peak();
            System.out.printf("rep %d: single JVM: read %.1f s, profile %.1f s, heap peak %d MB%n", rep, (t1 - t0) / 1e9, singleSeconds,
                    singlePeak >> 20);
            System.gc();
            resetPeaks();
            t0 = System.nanoTime();
            ReferenceProfile distributed = SparkProfiles.profile(spark.read().parquet(table.toUri().toString()));
            double sparkSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("rep %d: Spark local[2]: profile %.1f s (%.2fx the single JVM), heap peak %d MB, %d rows%n", rep,
                    sparkSeconds, sparkSeconds / singleSeconds, peak() >> 20, distributed.rowCount());
        }
        if (driftRows > 0) {
            System.gc();
            resetPeaks();
            long t0 = System.nanoTime();
            ReferenceProfile reference = SparkProfiles.profile(spark.range(0, driftRows, 1, 64).select(columns(1, 0)));
            DriftReport report = SparkDrift.detect(reference, spark.range(0, driftRows, 1, 64).select(columns(2, 0.01)));
            System.out.printf("drift of %,d rows a side x %d columns (generated, never written): %.1f s, heap peak %d MB, %s%n",
                    driftRows, COLUMNS, (System.nanoTime() - t0) / 1e9, peak() >> 20, report.summary());
        }
        spark.stop();
    }

    private static Column[] columns(long seed, double shift) {
        Column[] c = new Column[COLUMNS];
        for (int j = 0; j < COLUMNS; j++) {
            c[j] = randn(seed * 100 + j).plus(lit(j == 0 ? shift : 0)).as("x" + j);
        }
        return c;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peak() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
