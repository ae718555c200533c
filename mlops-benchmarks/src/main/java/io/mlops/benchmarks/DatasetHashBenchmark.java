package io.mlops.benchmarks;

import io.mlops.core.Dataset;
import io.mlops.core.internal.io.Sha256;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

/**
 * Canonical hashing of a 1M x 10 numeric dataset (80 MB of column bytes), beside the JDK's raw
 * SHA-256 over the same 80 MB, which is the ceiling. MB/s = 80 / (ms/op) * 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class DatasetHashBenchmark {

    static final int ROWS = 1_000_000;
    static final int COLUMNS = 10;

    Dataset dataset;
    byte[][] columnBytes;

    @Setup
    public void setUp() {
        dataset = BenchData.numeric(ROWS, COLUMNS, 1);
        columnBytes = new byte[COLUMNS][];
        for (int c = 0; c < COLUMNS; c++) {
            ByteBuffer b = ByteBuffer.allocate(ROWS * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(dataset.numeric("feature" + c));
            columnBytes[c] = b.array();
        }
    }

    /** The dataset's canonical hash; toBuilder().build() gives an equal dataset without the cached hash. */
    @Benchmark
    public String canonicalHash() {
        return dataset.toBuilder().build().contentHash();
    }

    /** The JDK's SHA-256 over the same bytes, with nothing else to do: the ceiling. */
    @Benchmark
    public byte[] rawSha256() {
        MessageDigest digest = Sha256.newDigest();
        for (byte[] column : columnBytes) {
            digest.update(column);
        }
        return digest.digest();
    }
}
