package io.mlops.spark;

import io.mlops.core.MlopsException;
import io.mlops.core.StorageException;
import io.mlops.data.DataVersioning;
import io.mlops.drift.ReferenceProfile;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spark job this library runs that fails — a file gone under it, a failing expression of the
 * caller's DataFrame, a cancelled job — reaches the caller as one of the library's exceptions
 * (what was being done, Spark's reason in one line, Spark's exception as the cause), not as Spark's
 * checked {@code SparkException} thrown past the signature; a failed commit leaves no temporary
 * folder behind and the versioning usable.
 */
class SparkFailuresTest {

    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("mlops-spark-failures-test");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** Fails on the row with id 777, as a caller's own expression might. */
    private static Dataset<Row> failingAt777() {
        return spark.range(0, 2_000, 1, 2).map((MapFunction<Long, Double>) id -> {
            if (id == 777) {
                throw new IllegalStateException("no amount for order 777");
            }
            return id * 0.5;
        }, Encoders.DOUBLE()).toDF("amount");
    }

    private static Throwable thrown(Runnable call) {
        try {
            call.run();
        } catch (Throwable e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void aFileDeletedUnderAProfileIsAStorageException() throws Exception {
        Path table = dir.resolve("table");
        spark.range(0, 10_000, 1, 4).select(col("id").multiply(0.25).as("x")).write().parquet(table.toUri().toString());
        Dataset<Row> frame = spark.read().parquet(table.toUri().toString());
        try (Stream<Path> parts = Files.list(table)) {
            Path part = parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
            Files.delete(part);
        }
        Throwable e = thrown(() -> SparkProfiles.profile(frame));
        assertThat(e).isInstanceOf(StorageException.class).hasMessageContaining("Spark could not profile the DataFrame")
                .hasMessageContaining(".parquet").hasCauseInstanceOf(Exception.class);
        assertThat(e.getMessage()).as("one line, no stack trace").doesNotContain("\n").doesNotContain("\tat ");
    }

    @Test
    void aFailingExpressionOfTheCallersFrameIsAnMlopsExceptionNamingItsReason() {
        Throwable e = thrown(() -> SparkProfiles.profile(failingAt777()));
        assertThat(e).isInstanceOf(MlopsException.class).hasMessageContaining("Spark could not profile the DataFrame")
                .hasMessageContaining("no amount for order 777");
        assertThat(e.getMessage()).doesNotContain("\n");

        ReferenceProfile reference = SparkProfiles.profile(spark.range(0, 2_000).select(col("id").multiply(0.5).as("amount")));
        assertThat(thrown(() -> SparkDrift.detect(reference, failingAt777()))).isInstanceOf(MlopsException.class)
                .hasMessageContaining("no amount for order 777");
    }

    @Test
    void aFailedCommitLeavesNoTemporaryFolderAndTheVersioningUsable() throws Exception {
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        List<Path> before = temporaryFolders();
        Throwable e = thrown(() -> SparkData.commit(data, "events", failingAt777()));
        assertThat(e).isInstanceOf(MlopsException.class).hasMessageContaining("Spark could not write 'events'")
                .hasMessageContaining("no amount for order 777");
        assertThat(temporaryFolders()).as("temporary folders").isEqualTo(before);
        assertThat(data.versions("events")).isEmpty();
        assertThat(SparkData.commit(data, "events", spark.range(0, 100).toDF("id")).save().rowCount()).hasValue(100);
    }

    @Test
    void aCancelledJobIsAnMlopsExceptionSayingSo() throws Exception {
        Dataset<Row> slow = spark.range(0, 1_000_000, 1, 2).map((MapFunction<Long, Double>) id -> {
            Thread.sleep(1);
            return id * 0.5;
        }, Encoders.DOUBLE()).toDF("amount");
        CompletableFuture<ReferenceProfile> profiling = CompletableFuture.supplyAsync(() -> {
            spark.sparkContext().setJobGroup("to-cancel", "a profile cancelled by the test", true);
            return SparkProfiles.profile(slow);
        });
        io.mlops.core.testkit.Eventually.await("the job started", java.time.Duration.ofSeconds(120),
                () -> spark.sparkContext().statusTracker().getJobIdsForGroup("to-cancel").length > 0);
        spark.sparkContext().cancelJobGroup("to-cancel");
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> profiling.get(120, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(MlopsException.class).hasMessageContaining("cancelled");
    }

    private static List<Path> temporaryFolders() throws Exception {
        try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return left.filter(p -> p.getFileName().toString().startsWith("mlops-spark-commit-")).sorted().toList();
        }
    }
}
