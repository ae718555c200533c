package io.mlops.benchmarks;

import io.mlops.core.spi.BlobRef;
import io.mlops.core.spi.BlobStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code FileSystemBlobStore.put} of a 200 MB stream: read, SHA-256, write, fsync, rename. Each
 * invocation stores new content (the first bytes change), so deduplication never short-cuts it.
 * MB/s = 200 / (ms/op) * 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class BlobStoreBenchmark {

    static final int SIZE = 200 * 1000 * 1000;

    byte[] content;
    Path root;
    BlobStore store;
    BlobRef last;
    long counter;

    @Setup
    public void setUp() throws IOException {
        content = new byte[SIZE];
        new SplittableRandom(3).nextBytes(content);
        root = Files.createTempDirectory("mlops-blob-bench");
        store = BlobStore.fileSystem(root);
    }

    @Setup(Level.Invocation)
    public void newContent() {
        long c = ++counter;
        for (int i = 0; i < 8; i++) {
            content[i] = (byte) (c >>> (8 * i));
        }
    }

    @TearDown(Level.Invocation)
    public void deleteBlob() throws IOException {
        if (last != null) {
            store.delete(last.sha256());
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public BlobRef put200MB() throws IOException {
        last = store.put(new ByteArrayInputStream(content));
        return last;
    }
}
