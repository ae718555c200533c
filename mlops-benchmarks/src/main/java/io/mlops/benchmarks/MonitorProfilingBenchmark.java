package io.mlops.benchmarks;

import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code log()} into SQLite with 20 numeric and 5 categorical input features, with the live input
 * profiles ({@code profileInputs(true)}, the default: KLL and frequent-items sketches per hour) and
 * without, and with the profiles plus a performance estimator (each log calibrated) or plus a
 * multivariate method (each hour's rows of its 20 features sampled); 1,000 distinct rows cycled.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class MonitorProfilingBenchmark {

    @Param({"profiles", "none", "profiles+estimator", "profiles+multivariate"})
    public String mode;

    Path dir;
    ModelMonitor monitor;
    final List<Map<String, Object>> rows = new ArrayList<>();
    int next;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("mlops-profiling-bench");
        SplittableRandom r = new SplittableRandom(5);
        String[] categories = {"a", "b", "c", "d", "e", "f"};
        for (int i = 0; i < 1000; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int f = 0; f < 20; f++) {
                row.put("n" + f, r.nextDouble() * 100);
            }
            for (int f = 0; f < 5; f++) {
                row.put("c" + f, categories[r.nextInt(categories.length)]);
            }
            rows.add(row);
        }
        ModelMonitor.Builder b = ModelMonitor.builder().store(MonitorStore.sqlite(dir.resolve("monitor.db")))
                .profileInputs(!mode.equals("none")).defaultRules(false);
        if (mode.endsWith("estimator")) {
            double[] scores = new double[5_000];
            int[] labels = new int[scores.length];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = r.nextDouble();
                labels[i] = r.nextDouble() < scores[i] ? 1 : 0;
            }
            b.performanceEstimator(io.mlops.monitor.PerformanceEstimator.cbpe(scores, labels));
        }
        if (mode.endsWith("multivariate")) {
            io.mlops.core.Dataset.Builder training = io.mlops.core.Dataset.builder();
            for (int f = 0; f < 20; f++) {
                final int feature = f;
                training.numeric("n" + f, rows.stream().mapToDouble(row -> (Double) row.get("n" + feature)).toArray());
            }
            b.multivariateDrift(io.mlops.drift.Multivariate.pcaReconstruction().fit(training.build()));
        }
        monitor = b.build();
    }

    @TearDown
    public void tearDown() throws Exception {
        monitor.close();
        BenchData.deleteTree(dir);
    }

    @Benchmark
    public long log() {
        Map<String, Object> row = rows.get(next++ % rows.size());
        return monitor.prediction().input(row).output(next & 1).probability(0.5 + (next & 255) / 512.0)
                .latency(Duration.ofMillis(5)).modelVersion("1.0.0").log();
    }
}
