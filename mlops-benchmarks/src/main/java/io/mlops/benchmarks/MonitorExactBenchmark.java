package io.mlops.benchmarks;

import io.mlops.core.ManualClock;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code exactMetrics(24h)}: the metrics recomputed from a SQLite store (not the in-memory
 * aggregates), the path for a store shared by several instances. 100,000 predictions of two
 * versions spread over the last day, latencies 1-200 ms, a third with feedback, 1% errors. The
 * reference computes the same from its SQLite tables with one SQL join (51-81 ms).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class MonitorExactBenchmark {

    static final int PREDICTIONS = 100_000;

    Path dir;
    ModelMonitor monitor;

    @Setup
    public void fill() throws IOException {
        dir = Files.createTempDirectory("mlops-monitor-exact");
        ManualClock clock = new ManualClock(Instant.now().minus(Duration.ofDays(1)));
        monitor = ModelMonitor.builder().store(MonitorStore.sqlite(dir.resolve("monitor.db"))).clock(clock).build();
        SplittableRandom random = new SplittableRandom(11);
        Duration step = Duration.ofMillis(86_400_000L / PREDICTIONS - 1);
        for (int i = 0; i < PREDICTIONS; i++) {
            clock.advance(step);
            int predicted = random.nextInt(2);
            long id = monitor.prediction().input(MonitorBenchmark.FEATURES).output(predicted)
                    .latency(Duration.ofNanos(1_000L * (1_000 + random.nextInt(199_000)))).modelVersion(i % 4 == 0 ? "2.0.0" : "1.0.0").log();
            if (i % 3 == 0) {
                monitor.feedback(id, random.nextInt(10) < 8 ? predicted : 1 - predicted);
            }
            if (i % 100 == 0) {
                monitor.error("1.0.0", "timeout");
            }
        }
        monitor.flush();
    }

    @TearDown
    public void close() throws IOException {
        monitor.close();
        BenchData.deleteTree(dir);
    }

    @Benchmark
    public MetricsSnapshot exactMetrics24h() {
        return monitor.exactMetrics(Duration.ofHours(24), null);
    }
}
