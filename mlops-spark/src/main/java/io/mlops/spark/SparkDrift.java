package io.mlops.spark;

import io.mlops.drift.Correction;
import io.mlops.drift.DefaultTests;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.ReferenceProfile;
import io.mlops.drift.StatTest;
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

    private final DriftDetector detector;

    private SparkDrift(DriftDetector detector) {
        this.detector = detector;
    }

    /**
     * Starts a drift check of DataFrames against a reference profile, with the settings of
     * {@link DriftDetector.Builder}:
     *
     * <pre>{@code
     * SparkDrift drift = SparkDrift.builder(training).significance(0.01).target("label").build();
     * DriftReport today = drift.detect(spark.read().parquet("s3a://lake/events/date=2026-12-07/"));
     * }</pre>
     *
     * @param reference the reference profile
     * @return the builder
     */
    public static Builder builder(ReferenceProfile reference) {
        return new Builder(DriftDetector.builder(Objects.requireNonNull(reference, "reference")));
    }

    /**
     * Decides the drift of a DataFrame against the reference, as {@link #detect(DriftDetector, Dataset)}.
     *
     * @param current the current rows
     * @return the report, also in {@link #detector()}'s history
     * @throws io.mlops.core.ValidationException when the DataFrame has no rows, or a reference column
     *     in it is of a type a profile cannot hold
     * @throws io.mlops.core.MlopsException when Spark's job fails or is cancelled
     */
    public DriftReport detect(Dataset<Row> current) {
        return detect(detector, current);
    }

    /**
     * The detector that decides: its profile, settings and history of reports.
     *
     * @return the detector
     */
    public DriftDetector detector() {
        return detector;
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

    /**
     * The settings of a {@link SparkDrift}: those of {@link DriftDetector.Builder}, which each
     * method sets. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final DriftDetector.Builder detector;

        private Builder(DriftDetector.Builder detector) {
            this.detector = detector;
        }

        /**
         * See {@link DriftDetector.Builder#significance(double)}.
         *
         * @param significance the p-value below which a p-value test flags drift, in (0, 1); default 0.05
         * @return this builder
         */
        public Builder significance(double significance) {
            detector.significance(significance);
            return this;
        }

        /**
         * See {@link DriftDetector.Builder#distanceThreshold(double)}.
         *
         * @param threshold the distance above which a distance test flags drift; default 0.1
         * @return this builder
         */
        public Builder distanceThreshold(double threshold) {
            detector.distanceThreshold(threshold);
            return this;
        }

        /**
         * See {@link DriftDetector.Builder#driftShareThreshold(double)}.
         *
         * @param threshold the share of drifted features above which the report says drift
         * @return this builder
         */
        public Builder driftShareThreshold(double threshold) {
            detector.driftShareThreshold(threshold);
            return this;
        }

        /**
         * See {@link DriftDetector.Builder#defaultTests(DefaultTests)}.
         *
         * @param tests how columns without an explicit test choose theirs
         * @return this builder
         */
        public Builder defaultTests(DefaultTests tests) {
            detector.defaultTests(tests);
            return this;
        }

        /**
         * See {@link DriftDetector.Builder#statTest(String, StatTest)}.
         *
         * @param column a reference column
         * @param test the test that decides its drift
         * @return this builder
         */
        public Builder statTest(String column, StatTest test) {
            detector.statTest(column, test);
            return this;
        }

        /**
         * See {@link DriftDetector.Builder#target(String)}.
         *
         * @param column the label column
         * @return this builder
         */
        public Builder target(String column) {
            detector.target(column);
            return this;
        }

        /**
         * See {@link DriftDetector.Builder#prediction(String)}.
         *
         * @param column the model's output column
         * @return this builder
         */
        public Builder prediction(String column) {
            detector.prediction(column);
            return this;
        }

        /**
         * See {@link DriftDetector.Builder#correction(Correction)}.
         *
         * @param correction the multiple-testing correction across features
         * @return this builder
         */
        public Builder correction(Correction correction) {
            detector.correction(correction);
            return this;
        }

        /**
         * Builds the drift check.
         *
         * @return the check, thread-safe
         */
        public SparkDrift build() {
            return new SparkDrift(detector.build());
        }
    }
}
