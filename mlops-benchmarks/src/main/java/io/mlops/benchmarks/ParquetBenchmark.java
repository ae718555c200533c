package io.mlops.benchmarks;

import io.mlops.core.Dataset;
import io.mlops.parquet.Compression;
import io.mlops.parquet.Parquet;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Parquet write (atomic, fsync'd) and read of the same 1M x 10 numeric dataset as
 * {@link CsvBenchmark}, in the same run when both are named; the setup prints each file's size
 * beside the CSV's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class ParquetBenchmark {

    @Param({"ZSTD", "SNAPPY"})
    public Compression compression;

    Dataset dataset;
    Path dir;
    Path written;
    Path toRead;

    @Setup
    public void setUp() throws IOException {
        dataset = BenchData.numeric(1_000_000, 10, 2);
        dir = Files.createTempDirectory("mlops-parquet-bench");
        written = dir.resolve("written.parquet");
        toRead = dir.resolve("read.parquet");
        Parquet.write(dataset, toRead, compression);
        Path csv = dir.resolve("same.csv");
        dataset.writeCsv(csv);
        System.out.printf("%n1M x 10 doubles: %s Parquet %,d bytes, CSV %,d bytes (%.1f%%)%n", compression, Files.size(toRead),
                Files.size(csv), 100.0 * Files.size(toRead) / Files.size(csv));
        Files.delete(csv);
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(written);
        Files.deleteIfExists(toRead);
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public Path write() {
        Parquet.write(dataset, written, compression);
        return written;
    }

    @Benchmark
    public Dataset read() {
        return Parquet.read(toRead);
    }
}
