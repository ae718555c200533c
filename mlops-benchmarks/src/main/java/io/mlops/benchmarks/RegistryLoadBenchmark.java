package io.mlops.benchmarks;

import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Loading a version as a scoring service does at start-up or on an alias move: {@code get(name,
 * version)} and {@code openArtifact}, reading the artifact to its end (SHA-256 verified), from a
 * registry of 100 versions. Sampled, so the result has percentiles (p50 is the README figure).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class RegistryLoadBenchmark {

    @Param({"1024", "1000000"})
    public int artifactBytes;

    Path root;
    ModelRegistry registry;
    byte[] buffer = new byte[1 << 16];

    @Setup
    public void setUp() throws IOException {
        root = Files.createTempDirectory("mlops-load-bench");
        registry = ModelRegistry.fileSystem(root);
        byte[] artifact = new byte[artifactBytes];
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 100; i++) {
            random.nextBytes(artifact);
            registry.register("churn").artifact(artifact).metadata("accuracy", 0.9).tag("algorithm", "forest").save();
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        BenchData.deleteTree(root);
    }

    @Benchmark
    public long getAndRead() throws IOException {
        ModelVersion v = registry.get("churn", "1.0.50");
        long n = 0;
        try (InputStream in = registry.openArtifact(v)) {
            for (int r; (r = in.read(buffer)) > 0; ) {
                n += r;
            }
        }
        return n;
    }
}
