package io.mlops.benchmarks;

import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;
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

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Commit of a 500 MB file, streamed from the page cache into the blob store (hashed, fsync'd,
 * renamed), in a JVM with a 256 MB heap: the file is never held in memory. Each invocation changes
 * the file's first bytes so that it is new content. MB/s = 500 / (ms/op) * 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class FileCommitBenchmark {

    static final long SIZE = 500L * 1000 * 1000;

    Path dir;
    Path file;
    DataVersioning data;
    DatasetVersion last;
    long counter;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("mlops-file-bench");
        file = dir.resolve("events.bin");
        byte[] block = new byte[1 << 20];
        SplittableRandom random = new SplittableRandom(6);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < SIZE; ) {
                random.nextBytes(block);
                ByteBuffer b = ByteBuffer.wrap(block, 0, (int) Math.min(block.length, SIZE - written));
                written += b.remaining();
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
        data = DataVersioning.fileSystem(dir.resolve("versions"));
    }

    @Setup(Level.Invocation)
    public void newContent() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.writeLong(++counter);
        }
    }

    @TearDown(Level.Invocation)
    public void deleteVersion() {
        if (last != null) {
            data.delete(last.id());
            last = null;
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        BenchData.deleteTree(dir);
    }

    @Benchmark
    public DatasetVersion commitFile500MB() {
        last = data.commit("raw_events", file).save();
        return last;
    }
}
