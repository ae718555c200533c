package io.mlops.benchmarks;

import io.mlops.core.spi.BlobRef;
import io.mlops.core.spi.BlobStore;
import io.mlops.s3.S3BlobStore;
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
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code S3BlobStore} put and verified read of 200 MB against s3proxy (filesystem backend, a temp
 * folder) on loopback in the same JVM, through the AWS SDK over HTTP: client and server share the
 * machine's cores, so this is a floor, not what a remote object store gives. MB/s = 200 / (ms/op) * 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class S3BlobStoreBenchmark {

    static final int SIZE = 200 * 1000 * 1000;

    byte[] content;
    LoopbackS3 s3;
    BlobStore store;
    BlobRef stored;
    long counter;

    @Setup
    public void setUp() throws Exception {
        s3 = new LoopbackS3("bench");
        store = s3.store;
        content = new byte[SIZE];
        new SplittableRandom(7).nextBytes(content);
        stored = store.put(new ByteArrayInputStream(content));
    }

    @Setup(Level.Invocation)
    public void newContent() {
        long c = ++counter;
        for (int i = 0; i < 8; i++) {
            content[i] = (byte) (c >>> (8 * i));
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        s3.close();
    }

    @Benchmark
    public BlobRef put200MB() throws IOException {
        return store.put(new ByteArrayInputStream(content));
    }

    @Benchmark
    public long read200MB() throws IOException {
        try (InputStream in = store.open(stored.sha256())) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
