package io.mlops.benchmarks;

import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.Registration;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Registering a 200 MB artifact (read, SHA-256, write, fsync, commit) from a {@code byte[]}, a
 * {@code Path} or an {@code InputStream}. Each invocation stores new content and the version is
 * deleted afterwards, so deduplication never short-cuts it. The heap is capped at 512 MB: the
 * 200 MB array plus the put's 4 MiB of buffers fit, a copy of the array would not leave much room.
 * Compare with {@code dd if=SRC of=DST bs=1M conv=fdatasync} of 200 MB in the same run.
 * MB/s = 200 / (ms/op) * 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class ArtifactRegisterBenchmark {

    static final int SIZE = 200 * 1000 * 1000;

    @Param({"bytes", "path", "stream"})
    public String source;

    byte[] content;
    Path root;
    Path file;
    ModelRegistry registry;
    ModelVersion last;
    long counter;

    @Setup
    public void setUp() throws IOException {
        content = new byte[SIZE];
        new SplittableRandom(5).nextBytes(content);
        root = Files.createTempDirectory("mlops-artifact-bench");
        file = root.resolve("artifact.bin");
        registry = ModelRegistry.fileSystem(root.resolve("registry"));
    }

    @Setup(Level.Invocation)
    public void newContent() throws IOException {
        long c = ++counter;
        for (int i = 0; i < 8; i++) {
            content[i] = (byte) (c >>> (8 * i));
        }
        if (!source.equals("bytes")) {
            // in the page cache, as a freshly written model file would be, and on disk, so that its
            // own write-back does not compete with the measured put
            Files.write(file, content);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
    }

    @TearDown(Level.Invocation)
    public void deleteVersion() {
        if (last != null) {
            registry.delete(last.name(), last.version());
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        BenchData.deleteTree(root);
    }

    @Benchmark
    public ModelVersion register() throws IOException {
        Registration r = registry.register("big");
        switch (source) {
            case "bytes" -> last = r.artifact(content).save();
            case "path" -> last = r.artifact(file).save();
            default -> {
                try (InputStream in = Files.newInputStream(file)) {
                    last = r.artifact(in).save();
                }
            }
        }
        return last;
    }
}
