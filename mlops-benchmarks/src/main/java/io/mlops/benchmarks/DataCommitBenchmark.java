package io.mlops.benchmarks;

import io.mlops.core.Dataset;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Commit of a 1M x 10 numeric dataset, end to end: canonical hash, CSV rendering streamed into the
 * blob store (hashed, fsync'd, renamed), schema sidecar, version record and index. Every invocation
 * commits new content (one value changes), so deduplication never short-cuts it. The reference takes
 * ~35 s on this machine, most of it in {@code to_csv}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class DataCommitBenchmark {

    Dataset base;
    Dataset next;
    Path root;
    DataVersioning data;
    DatasetVersion last;
    long counter;

    @Setup
    public void setUp() throws IOException {
        base = BenchData.numeric(1_000_000, 10, 5);
        root = Files.createTempDirectory("mlops-data-bench");
        data = DataVersioning.fileSystem(root);
    }

    @Setup(Level.Invocation)
    public void newContent() {
        double[] first = base.numeric("feature0");
        first[0] = ++counter;
        next = base.toBuilder().remove("feature0").numeric("feature0", first).build();
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
        BenchData.deleteTree(root);
    }

    @Benchmark
    public DatasetVersion commitDataset1Mx10() {
        last = data.commit("bench", next).save();
        return last;
    }
}
