package io.mlops.benchmarks;

import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code log()} throughput into SQLite (flushing every 10,000 logs, so the figure includes the
 * writes) and into the in-memory store. The reference manages 426-661 logs per second here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class MonitorBenchmark {

    @Param({"sqlite", "memory"})
    public String store;

    static final Map<String, Object> FEATURES = Map.of("age", 42, "tenure_months", 18.0, "contract", "month-to-month");
    static final Duration LATENCY = Duration.ofMillis(12);

    Path dir;
    ModelMonitor monitor;
    long logged;

    @Setup(Level.Iteration)
    public void open() throws IOException {
        dir = Files.createTempDirectory("mlops-monitor-bench");
        monitor = ModelMonitor.builder()
                .store(store.equals("sqlite") ? MonitorStore.sqlite(dir.resolve("monitor.db")) : MonitorStore.inMemory())
                .build();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        monitor.close();
        BenchData.deleteTree(dir);
    }

    @Benchmark
    public long log() {
        long id = monitor.prediction().input(FEATURES).output(1).probability(0.8).latency(LATENCY).modelVersion("1.0.0").log();
        if (++logged % 10_000 == 0) {
            monitor.flush();
        }
        return id;
    }
}
