package io.mlops.benchmarks;

import io.mlops.core.ManualClock;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.CanaryAnalysis;
import io.mlops.serving.ModelServer;
import io.mlops.serving.Prediction;
import io.mlops.serving.Rollout;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One canary analysis check ({@code ModelServer.checkRollout()}: both versions' metrics over the
 * rollout's window from the monitor, the non-inferiority and latency gates) with 1,000,000
 * predictions of the primary and the canary logged over 24 hours. The step is longer than the
 * run, so every check judges and none decides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class CanaryCheckBenchmark {

    static final int PREDICTIONS = 1_000_000;

    /** The gates' bounds: anytime-valid (the default) or fixed-sample. */
    @org.openjdk.jmh.annotations.Param({"ANYTIME_VALID", "FIXED_SAMPLE"})
    public String method;

    Path dir;
    ModelMonitor monitor;
    ModelServer server;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("mlops-canary-bench");
        ManualClock clock = new ManualClock(Instant.parse("2026-11-30T00:00:00Z"));
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        registry.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
        registry.register("churn").version("1.1.0").artifact(new byte[] {2}).save();
        registry.setAlias("churn", "production", "1.0.0");
        registry.setAlias("churn", "staging", "1.1.0");
        monitor = ModelMonitor.builder().clock(clock).defaultRules(false).profileInputs(false).queueCapacity(1_000_000).build();
        CanaryAnalysis.Builder analysis = CanaryAnalysis.builder().clock(clock).stepDuration(Duration.ofHours(48))
                .maxStepDuration(Duration.ofHours(49)).maxStepRequests(Long.MAX_VALUE).checkInterval(Duration.ofHours(1));
        if (method.equals("FIXED_SAMPLE")) {
            analysis.fixedSample();
        }
        server = ModelServer.builder().fromRegistry(registry, "churn", "production", (r, v) -> f -> Prediction.of(1))
                .canary("staging", 0.10).monitor(monitor).port(0)
                .analysis(analysis.build())
                .build().start();
        SplittableRandom r = new SplittableRandom(5);
        int perMinute = PREDICTIONS / 1440 + 1;
        for (int i = 0; i < PREDICTIONS; i++) {
            String version = r.nextInt(10) == 0 ? "1.1.0" : "1.0.0";
            monitor.prediction().output(1).latency(Duration.ofNanos(1000L * (500 + r.nextInt(5000)))).modelVersion(version).log();
            if (i % 1000 == 0) {
                monitor.error(version, "timeout");
            }
            if (i % perMinute == perMinute - 1) {
                clock.advance(Duration.ofMinutes(1));
            }
        }
        Rollout rollout = server.checkRollout();
        if (rollout.state() != Rollout.State.RUNNING || rollout.lastCheck().get(0).canarySamples() < 90_000) {
            throw new IllegalStateException("the check does not judge 1M predictions: " + rollout);
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        server.close();
        monitor.close();
        BenchData.deleteTree(dir);
    }

    @Benchmark
    public Rollout check() {
        return server.checkRollout();
    }
}
