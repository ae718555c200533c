package io.mlops.benchmarks;

import io.mlops.core.Dataset;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** CSV write (atomic, fsync'd) and read (with type inference) of a 1M x 10 numeric dataset. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class CsvBenchmark {

    Dataset dataset;
    Path dir;
    Path written;
    Path toRead;

    @Setup
    public void setUp() throws IOException {
        dataset = BenchData.numeric(1_000_000, 10, 2);
        dir = Files.createTempDirectory("mlops-csv-bench");
        written = dir.resolve("written.csv");
        toRead = dir.resolve("read.csv");
        dataset.writeCsv(toRead);
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(written);
        Files.deleteIfExists(toRead);
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public Path write() {
        dataset.writeCsv(written);
        return written;
    }

    @Benchmark
    public Dataset read() {
        return Dataset.readCsv(toRead);
    }
}
