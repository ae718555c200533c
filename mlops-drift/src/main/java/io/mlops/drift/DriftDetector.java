package io.mlops.drift;

import io.mlops.core.Dataset;
import io.mlops.drift.internal.DefaultDriftDetector;
import io.mlops.drift.internal.DriftSettings;
import io.mlops.drift.internal.Parallel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Detects data drift of current data against a reference.
 *
 * <pre>{@code
 * DriftDetector detector = DriftDetector.builder(trainingData).significance(0.05).build();
 * DriftReport report = detector.detect(todaysBatch);
 * if (report.driftDetected()) { ... report.summary() ... report.toHtml() ... }
 * }</pre>
 *
 * <p>Per numeric feature: Kolmogorov-Smirnov, PSI over reference quantile bins, Wasserstein-1 (also
 * divided by the reference's standard deviation), mean and standard deviation change, missing
 * share on both sides. Per categorical feature: chi-square, PSI, Jensen-Shannon, new and vanished
 * categories. Which test decides is chosen per column ({@link Builder#statTest}) or by
 * {@link DefaultTests}. Missing values (NaN, null) and non-finite numbers are left out of the tests;
 * a change of the missing share larger than {@link Builder#missingShareThreshold} is drift of its
 * own. A reference column absent from the current data is reported with status MISSING; columns
 * only in the current data are listed as new.
 *
 * <p>The reference is profiled once ({@link ReferenceProfile}); columns are evaluated in parallel.
 * Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface DriftDetector {

    /**
     * @param reference the reference (training) data
     * @return a builder
     */
    static Builder builder(Dataset reference) {
        return new Builder(Objects.requireNonNull(reference, "reference"), null);
    }

    /**
     * @param profile a reference profile, for example read back with {@link ReferenceProfile#fromJson}
     * @return a builder
     */
    static Builder builder(ReferenceProfile profile) {
        return new Builder(null, Objects.requireNonNull(profile, "profile"));
    }

    /**
     * Compares current data with the reference and appends the report to the history.
     *
     * @param current the current data
     * @return the report
     */
    DriftReport detect(Dataset current);

    /**
     * Compares a profile of the current data with the reference — for current data that is not in
     * the heap: a Spark DataFrame's profile ({@code SparkProfiles}), a Parquet folder's
     * ({@code ParquetProfiles}), or a saved one. The same tests, thresholds, roles and correction as
     * {@link #detect(Dataset)}: Kolmogorov-Smirnov D and Wasserstein distances between the two
     * sides' quantile points, with p-values of the true counts; the current side's PSI proportions
     * over the reference's edges from its quantile points (within {@code 1 / ceil(16 sqrt(m))} plus
     * its rank error of the exact ones); means, standard deviations, missing shares and category
     * counts exact. Where either side's quantiles come from a sketch ({@link ReferenceProfile#rankError}),
     * the Kolmogorov-Smirnov p-value is that of D less both sides' rank errors: a difference the
     * sketches alone could have made is not called drift (at millions of rows a side the exact test
     * resolves less than the sketches do). With a profile holding every value ({@code ReferenceProfile.of(current, bins)}),
     * the report is the one {@code detect(current)} gives.
     *
     * @param current the current data's profile
     * @return the report, also kept in {@link #history()}
     * @since 0.1.0
     */
    DriftReport detect(ReferenceProfile current);

    /**
     * @return the reports of this detector, oldest first (at most the builder's history size)
     */
    List<DriftReport> history();

    /**
     * @return the reference profile
     */
    ReferenceProfile profile();

    /** Builds a {@link DriftDetector}. Setters reject bad values at once. Not thread-safe. */
    final class Builder {
        private final Dataset reference;
        private final ReferenceProfile profile;
        private double significance = 0.05;
        private double distanceThreshold = 0.1;
        private double missingShareThreshold = 0.05;
        private double driftShareThreshold = 0;
        private int psiBins = 10;
        private int historySize = 100;
        private DefaultTests defaultTests = DefaultTests.P_VALUE;
        private Correction correction = Correction.NONE;
        private Multivariate multivariate;
        private final Map<String, StatTest> tests = new HashMap<>();
        private final Map<String, ColumnRole> roles = new HashMap<>();
        private Executor executor = Parallel.DEFAULT;
        private boolean retainSortedReference = true;

        private Builder(Dataset reference, ReferenceProfile profile) {
            this.reference = reference;
            this.profile = profile;
        }

        /**
         * Sets the p-value below which a p-value test flags drift, in (0, 1); default 0.05.
         *
         * @param significance the p-value below which a p-value test flags drift, in (0, 1); default 0.05
         * @return this builder
         */
        public Builder significance(double significance) {
            if (!(significance > 0 && significance < 1)) {
                throw new IllegalArgumentException("significance must be in (0, 1) but was " + significance);
            }
            this.significance = significance;
            return this;
        }

        /**
         * Sets the normalised Wasserstein or Jensen-Shannon distance above which a distance test flags drift, {@code > 0}; default 0.1.
         *
         * @param threshold the normalised Wasserstein or Jensen-Shannon distance above which a
         *     distance test flags drift, {@code > 0}; default 0.1
         * @return this builder
         */
        public Builder distanceThreshold(double threshold) {
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("distanceThreshold must be > 0 but was " + threshold);
            }
            this.distanceThreshold = threshold;
            return this;
        }

        /**
         * Sets the absolute change of a feature's missing share that counts as drift, in (0, 1]; default 0.05.
         *
         * @param threshold the absolute change of a feature's missing share that counts as drift,
         *     in (0, 1]; default 0.05
         * @return this builder
         */
        public Builder missingShareThreshold(double threshold) {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("missingShareThreshold must be in (0, 1] but was " + threshold);
            }
            this.missingShareThreshold = threshold;
            return this;
        }

        /**
         * Sets the share of drifted features at which the dataset counts as drifted, in [0, 1]; default 0, any drifted feature (the reference's rule).
         *
         * @param threshold the share of drifted features at which the dataset counts as drifted, in
         *     [0, 1]; default 0, any drifted feature (the reference's rule)
         * @return this builder
         */
        public Builder driftShareThreshold(double threshold) {
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("driftShareThreshold must be in [0, 1] but was " + threshold);
            }
            this.driftShareThreshold = threshold;
            return this;
        }

        /**
         * Sets quantile bins for numeric PSI, {@code >= 2}; default 10. Ignored when building from a profile, which fixed its bins.
         *
         * @param bins quantile bins for numeric PSI, {@code >= 2}; default 10. Ignored when building
         *     from a profile, which fixed its bins.
         * @return this builder
         */
        public Builder psiBins(int bins) {
            if (bins < 2) {
                throw new IllegalArgumentException("psiBins must be >= 2 but was " + bins);
            }
            this.psiBins = bins;
            return this;
        }

        /**
         * Sets how many reports {@link DriftDetector#history()} keeps, {@code >= 0}; default 100.
         *
         * @param size how many reports {@link DriftDetector#history()} keeps, {@code >= 0}; default 100
         * @return this builder
         */
        public Builder historySize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("historySize must be >= 0 but was " + size);
            }
            this.historySize = size;
            return this;
        }

        /**
         * Sets how columns without an explicit test choose theirs; default {@link DefaultTests#P_VALUE}.
         *
         * @param tests how columns without an explicit test choose theirs; default {@link DefaultTests#P_VALUE}
         * @return this builder
         */
        public Builder defaultTests(DefaultTests tests) {
            this.defaultTests = Objects.requireNonNull(tests, "tests");
            return this;
        }

        /**
         * @param column a reference column
         * @param test the test that decides its drift
         * @return this builder
         */
        public Builder statTest(String column, StatTest test) {
            tests.put(Objects.requireNonNull(column, "column"), Objects.requireNonNull(test, "test"));
            return this;
        }

        /**
         * Names the label column: it is tested like a feature but reported apart
         * ({@link DriftReport#targetDrift()}) and left out of the drift share and the correction.
         *
         * @param column a reference column
         * @return this builder
         */
        public Builder target(String column) {
            return role(column, ColumnRole.TARGET);
        }

        /**
         * Names the model's output column: tested, reported apart ({@link DriftReport#predictionDrift()}),
         * left out of the drift share and the correction.
         *
         * @param column a reference column
         * @return this builder
         */
        public Builder prediction(String column) {
            return role(column, ColumnRole.PREDICTION);
        }

        /**
         * Leaves columns out entirely — not profiled (an identifier of a million distinct values costs
         * nothing), not tested, not listed as new.
         *
         * @param columns column names
         * @return this builder
         */
        public Builder ignore(String... columns) {
            for (String c : columns) {
                role(c, ColumnRole.IGNORED);
            }
            return this;
        }

        private Builder role(String column, ColumnRole role) {
            Objects.requireNonNull(column, "column");
            roles.values().removeIf(r -> r == role && role != ColumnRole.IGNORED); // one target, one prediction
            roles.put(column, role);
            return this;
        }

        /**
         * Sets the multiple-testing correction across features; default NONE.
         *
         * @param correction the multiple-testing correction across features; default NONE
         * @return this builder
         */
        public Builder correction(Correction correction) {
            this.correction = Objects.requireNonNull(correction, "correction");
            return this;
        }

        /**
         * Sets runs the per-column work; default a daemon pool with one thread per core.
         *
         * @param executor runs the per-column work; default a daemon pool with one thread per core
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Whether the profile keeps a sorted copy of each numeric reference column (default true):
         * every check from the second on then sorts only the current data. The copies are made by
         * the second check (each in the task that compares its column); the first sorts the
         * reference without keeping it, so a detector used once — a command line's check — costs
         * no more memory than with {@code false}. The detector holds the reference dataset until
         * the copies exist. With {@code false} the profile keeps only
         * the derived statistics and sorts the reference columns again (from the reference
         * dataset, which the detector then holds on to) at each check: the detector's memory stays
         * near the datasets' own, at the cost of sorting both sides per check. Ignored when
         * building from a {@link ReferenceProfile}.
         *
         * @param retain whether to keep sorted copies
         * @return this builder
         */
        public Builder retainSortedReference(boolean retain) {
            this.retainSortedReference = retain;
            return this;
        }

        /**
         * Adds a multivariate method to every report ({@link DriftReport#multivariate()}), fitted
         * on the reference's numeric feature columns (not the target, prediction or ignored ones):
         * {@code multivariate(Multivariate.pcaReconstruction())}. It needs the reference rows —
         * a detector built from a {@link ReferenceProfile} refuses it — and a current
         * {@link Dataset}; {@link DriftDetector#detect(ReferenceProfile)} reports none. Its verdict
         * stands beside the per-feature ones and does not change {@link DriftReport#driftDetected()}.
         *
         * @param method the method
         * @return this builder
         */
        public Builder multivariate(Multivariate method) {
            this.multivariate = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * Profiles the reference (once: category counts now, each numeric column's sorted values
         * and statistics when a check or the profile's export first needs them) and builds the detector.
         *
         * @return the detector
         * @throws IllegalArgumentException when a {@code statTest}, {@code target} or {@code prediction}
         *     names a column the reference lacks, or a test that does not apply to its type
         */
        public DriftDetector build() {
            return DefaultDriftDetector.create(reference, profile, new DriftSettings(
                    new DriftSettings.Thresholds(significance, distanceThreshold, missingShareThreshold, driftShareThreshold,
                            correction),
                    new DriftSettings.TestChoice(defaultTests, tests),
                    new DriftSettings.Profiling(psiBins, retainSortedReference), historySize, executor, roles, multivariate));
        }
    }
}
