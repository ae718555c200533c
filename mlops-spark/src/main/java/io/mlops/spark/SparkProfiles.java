package io.mlops.spark;

import io.mlops.drift.ReferenceProfile;
import io.mlops.spark.internal.SparkProfiler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Objects;
import java.util.Set;

/**
 * Drift reference profiles of Spark DataFrames, computed where the data is, in one distributed
 * pass: each partition summarises its rows — per numeric column the count, mean and spread of its
 * finite values and a KLL quantile sketch (Apache DataSketches, k = 4096, the kind the monitor keeps
 * of live traffic), per categorical column its exact category counts, per column its missing
 * values — and the summaries are merged by a tree reduction; no row is collected to the driver.
 * The result is an ordinary {@link ReferenceProfile} (format 2): it is saved with
 * {@code toJson()}, feeds {@link io.mlops.drift.DriftDetector#builder(ReferenceProfile)} and
 * {@code monitor.drift(window, profile)}, so a training set profiled in Spark is compared with live
 * traffic in a served JVM:
 *
 * <pre>{@code
 * Dataset<Row> training = spark.read().parquet("s3a://lake/training/");
 * ReferenceProfile profile = SparkProfiles.profile(training, 10, "customer_id");
 * Files.writeString(Path.of("training.profile.json"), profile.toJson());
 * }</pre>
 *
 * <p><b>What is exact.</b> Row, missing and category counts are exact; means and standard
 * deviations are exact up to the order of floating-point additions (merged by Chan's formula, so
 * they do not depend on the partitioning beyond that). A column's quantile points, PSI edges and
 * PSI proportions come from its merged sketch: when the sketch holds every value (fewer than about
 * 4,000 finite values) they are exact, else each is within the normalised rank error
 * {@code 0.00071} (99% confidence), which the profile records per column
 * ({@link ReferenceProfile#rankError}) and every drift report made from it repeats
 * ({@link io.mlops.drift.DriftReport#referenceRankErrors()}). Whatever the number of partitions,
 * these bounds hold (KLL sketches merge without losing their guarantee).
 *
 * <p><b>Types.</b> Every Spark number type is numeric ({@code NaN} and infinities count as
 * missing, as in the heap; a {@code long} beyond 2^53, which a double cannot hold, fails the job
 * naming the column); strings and booleans ({@code "true"}/{@code "false"}) are categorical; any
 * other type is refused naming the column — cast it, or leave it out. Memory per task: about 100 KB
 * per numeric column, and per categorical column its distinct values.
 *
 * <p><b>Failures.</b> A Spark job that fails — a file gone under the DataFrame, an expression of
 * the caller's that throws, a cancelled job group — is reported as the library's exception, not as
 * Spark's checked {@code SparkException}: a {@link io.mlops.core.StorageException} when an I/O error
 * caused it, else an {@link io.mlops.core.MlopsException}, saying "Spark could not profile the
 * DataFrame" with Spark's reason in one line; Spark's exception is the cause.
 *
 * <p>Thread-safe. Spark itself comes from the application ({@code provided} scope: Spark 4 for
 * Scala 2.13).
 *
 * @since 0.1.0
 */
public final class SparkProfiles {

    private SparkProfiles() {
    }

    /**
     * Profiles every column of a DataFrame with the detector's default 10 PSI bins.
     *
     * @param data the rows
     * @return the profile
     * @throws io.mlops.core.ValidationException when a column is of a type a profile cannot hold, or
     *     there are no rows
     * @throws io.mlops.core.MlopsException when Spark's job fails or is cancelled
     */
    public static ReferenceProfile profile(Dataset<Row> data) {
        return profile(data, 10);
    }

    /**
     * Profiles a DataFrame, leaving some columns out (ids, timestamps).
     *
     * @param data the rows
     * @param psiBins the number of quantile bins for numeric PSI, {@code >= 2}
     * @param ignored the columns to leave out; each must exist
     * @return the profile
     * @throws io.mlops.core.ValidationException when a column is of a type a profile cannot hold, an
     *     ignored column does not exist, or there are no rows
     * @throws io.mlops.core.MlopsException when Spark's job fails or is cancelled
     */
    public static ReferenceProfile profile(Dataset<Row> data, int psiBins, String... ignored) {
        Objects.requireNonNull(data, "data");
        return SparkProfiler.profile(data, psiBins, Set.of(ignored));
    }
}
