package io.mlops.monitor;

import io.mlops.drift.Correction;
import io.mlops.drift.DefaultTests;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.StatTest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the monitor judges live drift ({@link ModelMonitor#drift} and the drift alert rules):
 * {@code ModelMonitor.builder().driftSettings(LiveDrift.builder().significance(0.01).build())}.
 *
 * <p>A monitor tests every input feature of a window again at every check, so a per-feature test
 * at p &lt; 0.05 flags one or two of 24 clean features every few hours by chance. The defaults
 * control that: each feature's p-value is corrected for the number of features
 * ({@link Correction#BONFERRONI}), so that with clean inputs the chance that <em>any</em> feature of
 * a window is flagged is at most {@link #significance()}. A rule on the number of drifted features,
 * {@code AlertRule.when(Metric.DRIFTED_FEATURES).above(0).over(Duration.ofHours(1))}, then fires
 * falsely at most {@code significance} of the time per distinct window — about
 * {@code significance × 24} false alarms a day for hourly windows (0.24 at the default 0.01) — while
 * a shift of a few features shows as soon as their own tests see it. A share rule
 * ({@link Metric#DRIFT_SHARE}) counts the same corrected decisions. PSI rules
 * ({@link Metric#FEATURE_PSI}) wait for enough rows that PSI's own small-sample bias, about
 * {@code (bins − 1) / rows}, is a tenth of their threshold at most ({@link #psiMinRows(double, int)}).
 *
 * <p>The tests are the batch detector's, chosen the same way ({@link Builder#defaultTests},
 * {@link Builder#statTest}); a rule's {@code minSamples} is the smallest window it judges.
 *
 * <p>Immutable; thread-safe.
 *
 * @since 0.1.0
 */
public final class LiveDrift {

    private static final LiveDrift DEFAULTS = builder().build();

    private final double significance;
    private final Correction correction;
    private final int sampleRows;
    private final DefaultTests defaultTests;
    private final Map<String, StatTest> tests;

    private LiveDrift(Builder b) {
        this.defaultTests = b.defaultTests;
        this.tests = Map.copyOf(b.tests);
        this.significance = b.significance;
        this.correction = b.correction;
        this.sampleRows = b.sampleRows;
    }

    /**
     * @return the defaults: significance 0.01, Bonferroni, 2,000 stand-in rows
     */
    public static LiveDrift defaults() {
        return DEFAULTS;
    }

    /**
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the p-value, after the correction, below which a feature counts as drifted
     */
    public double significance() {
        return significance;
    }

    /**
     * @return the correction across the features of a window
     */
    public Correction correction() {
        return correction;
    }

    /**
     * @return how columns without a test of their own choose theirs
     */
    public DefaultTests defaultTests() {
        return defaultTests;
    }

    /**
     * @return the tests chosen per column
     */
    public Map<String, StatTest> tests() {
        return tests;
    }

    /**
     * @return the most rows of the stand-in sample drawn from a window's sketches
     */
    public int sampleRows() {
        return sampleRows;
    }

    /**
     * The rows a window needs before a PSI rule at this threshold is judged: PSI measured on
     * {@code n} rows of an unchanged distribution is about {@code (bins − 1) / n} on average (its
     * chi-square bias), so a rule waits until that is at most a tenth of its threshold —
     * {@code ceil(10 · (bins − 1) / threshold)} rows, 450 for a threshold of 0.2 over the usual 10
     * bins (the reference profile's).
     *
     * @param threshold the rule's PSI threshold, {@code > 0}
     * @param bins the PSI bins, {@code >= 2}
     * @return the rows needed
     */
    public static long psiMinRows(double threshold, int bins) {
        if (!(threshold > 0) || bins < 2) {
            throw new IllegalArgumentException("a PSI threshold must be > 0 and bins >= 2 but were " + threshold + " and "
                    + bins);
        }
        return (long) Math.ceil(10.0 * (bins - 1) / threshold);
    }

    /**
     * Applies these settings to a detector being built.
     *
     * @param detector the detector's builder
     * @return the same builder
     */
    public DriftDetector.Builder applyTo(DriftDetector.Builder detector) {
        detector.significance(significance).correction(correction).defaultTests(defaultTests);
        tests.forEach(detector::statTest);
        return detector;
    }

    @Override
    public String toString() {
        return "LiveDrift[significance=" + significance + ", correction=" + correction + ", sampleRows=" + sampleRows
                + ", defaultTests=" + defaultTests + (tests.isEmpty() ? "" : ", tests=" + tests) + "]";
    }

    /** Builds {@link LiveDrift} settings; setters reject bad values at once. Not thread-safe. */
    public static final class Builder {
        private double significance = 0.01;
        private Correction correction = Correction.BONFERRONI;
        private int sampleRows = 2_000;
        private DefaultTests defaultTests = DefaultTests.P_VALUE;
        private final Map<String, StatTest> tests = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the p-value (after the correction) below which a feature counts as drifted.
         *
         * @param significance in (0, 1); default 0.01
         * @return this
         */
        public Builder significance(double significance) {
            if (!(significance > 0 && significance < 1)) {
                throw new IllegalArgumentException("significance must be in (0, 1) but was " + significance);
            }
            this.significance = significance;
            return this;
        }

        /**
         * Sets the correction across a window's features.
         *
         * @param correction default {@link Correction#BONFERRONI}; {@link Correction#NONE} tests each
         *     feature on its own (as the batch detector's default), {@link Correction#BENJAMINI_HOCHBERG}
         *     controls the share of false discoveries instead
         * @return this
         */
        public Builder correction(Correction correction) {
            this.correction = Objects.requireNonNull(correction, "correction");
            return this;
        }

        /**
         * Sets the most rows of the stand-in sample a window's sketches are compared through; the
         * p-values are computed at its size, so a larger one makes them less conservative for large
         * windows and the check slower.
         *
         * @param rows in [100, 100,000]; default 2,000
         * @return this
         */
        public Builder sampleRows(int rows) {
            if (rows < 100 || rows > 100_000) {
                throw new IllegalArgumentException("sampleRows must be in [100, 100000] but was " + rows);
            }
            this.sampleRows = rows;
            return this;
        }

        /**
         * Sets how columns without a test of their own choose theirs, as the batch detector's
         * {@code DriftDetector.Builder.defaultTests}.
         *
         * @param tests default {@link DefaultTests#P_VALUE}
         * @return this
         */
        public Builder defaultTests(DefaultTests tests) {
            this.defaultTests = Objects.requireNonNull(tests, "tests");
            return this;
        }

        /**
         * Chooses the test that decides one column's drift, as the batch detector's
         * {@code DriftDetector.Builder.statTest}.
         *
         * @param column a column of the drift reference
         * @param test the test
         * @return this
         */
        public Builder statTest(String column, StatTest test) {
            tests.put(Objects.requireNonNull(column, "column"), Objects.requireNonNull(test, "test"));
            return this;
        }

        /**
         * @return the settings
         */
        public LiveDrift build() {
            return new LiveDrift(this);
        }
    }
}
