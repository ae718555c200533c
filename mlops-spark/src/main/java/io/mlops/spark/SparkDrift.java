package io.mlops.spark;

import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.ReferenceProfile;
import io.mlops.spark.internal.SparkProfiler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Objects;

/**
 * Drift of a Spark DataFrame against a reference profile, decided without collecting its rows: the
 * current side is profiled where it is ({@link SparkProfiles}, one distributed pass) and compared
 * with the reference by {@link DriftDetector#detect(ReferenceProfile)} — the detector's tests,
 * thresholds, roles and correction, with p-values of the true row counts:
 *
 * <pre>{@code
 * ReferenceProfile training = ReferenceProfile.fromJson(Files.readString(Path.of("training.profile.json")));
 * DriftReport report = SparkDrift.detect(training, spark.read().parquet("s3a://lake/events/date=2026-12-07/"));
 * }</pre>
 *
 * <p><b>What is exact.</b> Row, missing and category counts, means and standard deviations, and so
 * the chi-square and category tests, are exact. Kolmogorov-Smirnov statistics and Wasserstein
 * distances are computed between the two sides' quantile points: each side's points are within its
 * sketch's rank error (0.00071, recorded per column; 0 where a side's sketch held every value) plus
 * {@code 1 / ceil(16 sqrt(n))} of its exact distribution, so D is within the sum of both sides'
 * bounds of the exact D; the bounds are in {@link DriftReport#referenceRankErrors()} and
 * {@link DriftReport#currentRankErrors()}.
 * The p-value is that of D less both sides' rank errors, with the true counts: at ten million rows a
 * side the exact test resolves differences of 0.0006, finer than two sketches can (0.0014), and a
 * difference they alone could have made is not called drift — clear shifts are flagged as the
 * exact test flags them ({@code SparkDriftTest}), shifts below about 0.0014 in D are not.
 * The current side's PSI proportions over the reference's edges come from its quantile points, to
 * the same degree.
 *
 * <p>Columns the reference lacks are reported as new when Spark's types allow a profile of them,
 * and otherwise left out; a reference column of another type in the DataFrame is reported missing;
 * a reference column of a type a profile cannot hold is refused naming it. A failed or cancelled
 * Spark job is reported as {@link SparkProfiles} reports it. Thread-safe.
 *
 * @since 0.1.0
 */
public final class SparkDrift {

    private SparkDrift() {
    }

    /**
     * Decides drift with the detector's defaults.
     *
     * @param reference the reference profile (from Spark, Parquet, the heap or a file)
     * @param current the current rows
     * @return the report
     * @throws io.mlops.core.ValidationException when the DataFrame has no rows, or a reference column
     *     in it is of a type a profile cannot hold
     * @throws io.mlops.core.MlopsException when Spark's job fails or is cancelled
     */
    public static DriftReport detect(ReferenceProfile reference, Dataset<Row> current) {
        return detect(DriftDetector.builder(Objects.requireNonNull(reference, "reference")).build(), current);
    }

    /**
     * Decides drift with a detector of one's own settings (significance, tests, roles, correction).
     *
     * @param detector the detector
     * @param current the current rows
     * @return the report, also in the detector's history
     * @throws io.mlops.core.MlopsException when Spark's job fails or is cancelled (a
     *     {@link io.mlops.core.StorageException} when an I/O error caused it)
     */
    public static DriftReport detect(DriftDetector detector, Dataset<Row> current) {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(current, "current");
        ReferenceProfile reference = detector.profile();
        return detector.detect(SparkProfiler.profile(current, reference.psiBins(),
                SparkProfiler.unprofilable(current, reference.columns())));
    }
}
