package io.mlops.benchmarks;

import io.mlops.core.Dataset;
import io.mlops.core.ManualClock;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.ModelMonitor;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code monitor.drift(24h, profile)} over 1,000,000 logged predictions spread over 24 hours, each with
 * 20 numeric and 5 categorical input features (the in-memory store: the drift comes from the input
 * profiles, not the store): merging 24 hourly profiles, drawing the 2,000-row stand-in sample, and
 * the exact detector on it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class LiveDriftBenchmark {

    static final int PREDICTIONS = 1_000_000;

    ModelMonitor monitor;
    ReferenceProfile profile;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(17);
        String[] categories = {"a", "b", "c", "d", "e", "f"};
        Dataset.Builder training = Dataset.builder();
        for (int f = 0; f < 20; f++) {
            double[] v = new double[50_000];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextDouble() * 100;
            }
            training.numeric("n" + f, v);
        }
        for (int f = 0; f < 5; f++) {
            String[] v = new String[50_000];
            for (int i = 0; i < v.length; i++) {
                v[i] = categories[r.nextInt(categories.length)];
            }
            training.categorical("c" + f, v);
        }
        profile = DriftDetector.builder(training.build()).build().profile();
        ManualClock clock = new ManualClock(Instant.parse("2026-11-30T00:00:00Z"));
        monitor = ModelMonitor.builder().clock(clock).defaultRules(false).queueCapacity(1_000_000).build();
        int perMinute = PREDICTIONS / 1440 + 1;
        for (int i = 0; i < PREDICTIONS; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int f = 0; f < 20; f++) {
                row.put("n" + f, r.nextDouble() * 100 + (f < 5 ? 3 : 0));
            }
            for (int f = 0; f < 5; f++) {
                row.put("c" + f, categories[r.nextInt(categories.length)]);
            }
            monitor.prediction().input(row).output(1).log();
            if (i % perMinute == perMinute - 1) {
                clock.advance(Duration.ofMinutes(1));
            }
        }
        DriftReport check = monitor.drift(Duration.ofHours(24), profile);
        if (check.features().size() != 25) {
            throw new IllegalStateException("expected 25 features, got " + check.features().size());
        }
    }

    @TearDown
    public void tearDown() {
        monitor.close();
    }

    @Benchmark
    public DriftReport drift24h() {
        return monitor.drift(Duration.ofHours(24), profile);
    }
}
