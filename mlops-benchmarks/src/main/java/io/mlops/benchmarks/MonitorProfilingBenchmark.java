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
 * without; 1,000 distinct rows cycled.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class MonitorProfilingBenchmark {

    @Param({"true", "false"})
    public boolean profiling;

    Path dir;
    ModelMonitor monitor;
    final List<Map<String, Object>> rows = new ArrayList<>();
    int next;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("mlops-profiling-bench");
        monitor = ModelMonitor.builder().store(MonitorStore.sqlite(dir.resolve("monitor.db"))).profileInputs(profiling)
                .defaultRules(false).build();
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
    }

    @TearDown
    public void tearDown() throws Exception {
        monitor.close();
        BenchData.deleteTree(dir);
    }

    @Benchmark
    public long log() {
        Map<String, Object> row = rows.get(next++ % rows.size());
        return monitor.prediction().input(row).output(1).latency(Duration.ofMillis(5)).modelVersion("1.0.0").log();
    }
}
