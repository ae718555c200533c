package io.mlops.benchmarks;

import io.mlops.monitor.MetricsSnapshot;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Feedback and metrics(24h) against a SQLite store holding 1k or 1M predictions. */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class MonitorStoredBenchmark {

    /**
     * Feedback and metrics with 1k or 1M predictions stored in SQLite, spread evenly over the last 24
     * hours (a clock that moves 86 ms per prediction), so that metrics(24h) merges a full day of
     * buckets.
     */
    @State(Scope.Benchmark)
    public static class Stored {
        @Param({"1000", "1000000"})
        public int stored;

        Path dir;
        ModelMonitor monitor;
        long firstId;
        long counter;

        @Setup
        public void fill() throws IOException {
            dir = Files.createTempDirectory("mlops-monitor-stored");
            io.mlops.core.ManualClock clock = new io.mlops.core.ManualClock(java.time.Instant.now().minus(Duration.ofDays(1)));
            Duration step = Duration.ofMillis(Math.max(1, 86_400_000L / stored));
            monitor = ModelMonitor.builder().store(MonitorStore.sqlite(dir.resolve("monitor.db"))).clock(clock).build();
            firstId = -1;
            for (int i = 0; i < stored; i++) {
                clock.advance(step);
                long id = monitor.prediction().input(MonitorBenchmark.FEATURES).output(i % 2).latency(MonitorBenchmark.LATENCY).modelVersion("1.0.0").log();
                if (firstId < 0) {
                    firstId = id;
                }
            }
            monitor.flush();
        }

        @TearDown
        public void close() throws IOException {
            monitor.close();
            BenchData.deleteTree(dir);
        }
    }

    /** One feedback for a stored (already written) prediction; the reference goes from 6 ms to 104 ms. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void feedback(Stored s) {
        long id = s.firstId + (s.counter++ * 7919) % s.stored;
        s.monitor.feedback(id, (int) (s.counter & 1));
    }

    /** metrics(24h) with the stored predictions in the aggregates. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public MetricsSnapshot metrics24h(Stored s) {
        return s.monitor.metrics(Duration.ofHours(24));
    }
}
