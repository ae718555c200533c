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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code metrics(24h)} of a fleet: four monitors named {@code pod-0..3} share one PostgreSQL store
 * (the local server, a schema of the benchmark's, HikariCP) and have logged 1,000,000 predictions
 * over 24 hours between them (two model versions, 30% with feedback, latencies 1-50 ms); the
 * benchmark asks one of them for the fleet's last 24 hours, which it reads from the minute and hour
 * totals every instance wrote.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class FleetMetricsBenchmark {

    static final int PREDICTIONS = 1_000_000;

    FleetDatabase db;
    final List<ModelMonitor> monitors = new ArrayList<>();

    @Setup
    public void setUp() throws Exception {
        db = new FleetDatabase();
        ManualClock clock = new ManualClock(Instant.parse("2026-11-30T00:00:00Z"));
        for (int i = 0; i < 4; i++) {
            monitors.add(ModelMonitor.builder().store(MonitorStore.jdbc(db.pool)).instance("pod-" + i).clock(clock)
                    .defaultRules(false).build());
        }
        SplittableRandom random = new SplittableRandom(11);
        int perMinute = PREDICTIONS / 1440 + 1;
        int logged = 0;
        for (int minute = 0; minute < 1440 && logged < PREDICTIONS; minute++) {
            for (int i = 0; i < perMinute && logged < PREDICTIONS; i++, logged++) {
                ModelMonitor m = monitors.get(logged & 3);
                int predicted = random.nextInt(2);
                long id = m.prediction().output(predicted).latency(Duration.ofMillis(1 + random.nextInt(50)))
                        .modelVersion(random.nextInt(10) == 0 ? "1.1.0" : "1.0.0").log();
                if (random.nextInt(10) < 3) {
                    m.feedback(id, random.nextInt(5) == 0 ? 1 - predicted : predicted);
                }
            }
            clock.advance(Duration.ofMinutes(1));
        }
        monitors.forEach(ModelMonitor::flush);
        long seen = monitors.get(0).metrics(Duration.ofHours(24)).counts().predictions();
        if (seen != PREDICTIONS) {
            throw new IllegalStateException("the fleet's totals hold " + seen + " predictions, not " + PREDICTIONS);
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        monitors.forEach(ModelMonitor::close);
        db.close();
    }

    @Benchmark
    public MetricsSnapshot fleetMetrics24h() {
        return monitors.get(0).metrics(Duration.ofHours(24));
    }
}
