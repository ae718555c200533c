package io.mlops.benchmarks;

import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code openArtifact} and a full read of a 200 MB artifact, SHA-256 verified while reading (from
 * the page cache, as a serving process re-reading its model would). MB/s = 200 / (ms/op) * 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ArtifactReadBenchmark {

    Path root;
    ModelRegistry registry;
    ModelVersion version;
    final byte[] buffer = new byte[1 << 20];

    @Setup
    public void setUp() throws IOException {
        root = Files.createTempDirectory("mlops-artifact-bench");
        byte[] content = new byte[200 * 1000 * 1000];
        new SplittableRandom(4).nextBytes(content);
        registry = ModelRegistry.fileSystem(root);
        version = registry.register("big").version("1.0.0").artifact(content).save();
    }

    @TearDown
    public void tearDown() throws IOException {
        BenchData.deleteTree(root);
    }

    @Benchmark
    public long openAndRead200MB() throws IOException {
        long total = 0;
        try (InputStream in = registry.openArtifact(version)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        }
        return total;
    }
}
