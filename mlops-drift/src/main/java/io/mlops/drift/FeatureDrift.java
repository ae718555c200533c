package io.mlops.drift;

import io.mlops.core.ColumnType;

import java.util.List;
import java.util.Objects;

/**
 * One feature's drift: the verdict, the {@link Decision} that reached it, the {@link Missing}
 * values, and the column's {@link ColumnStats statistics} ({@link NumericStats} or
 * {@link CategoricalStats}). {@code decision} and {@code stats} are {@code null} unless the feature
 * was {@link Status#EVALUATED}.
 *
 * @param feature the column name
 * @param type the column's type in the reference
 * @param status {@link Status#EVALUATED}, or {@link Status#MISSING} when the current data lacks the
 *     column, or {@link Status#NOT_TESTABLE} when one side has no values to test
 * @param driftDetected whether the feature drifted (by its test, or by its missing share)
 * @param decision the deciding test and its numbers, or null
 * @param missing the missing-value shares on both sides
 * @param stats the column's statistics, or null
 * @since 0.1.0
 */
public record FeatureDrift(String feature, ColumnType type, Status status, boolean driftDetected, Decision decision,
                           Missing missing, ColumnStats stats) {

    /** Whether a feature could be evaluated. */
    public enum Status {
        /** Tested. */
        EVALUATED,
        /** The column is in the reference but not in the current data. */
        MISSING,
        /** One side has no non-missing values: only the missing share is compared. */
        NOT_TESTABLE
    }

    /**
     * Checks the parts.
     *
     * @param feature the column name
     * @param type the column's type
     * @param status the status
     * @param driftDetected the verdict
     * @param decision the decision, or null
     * @param missing the missing shares
     * @param stats the statistics, or null
     */
    public FeatureDrift {
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(missing, "missing");
    }

    /**
     * How the test decided.
     *
     * @param test the test that decided {@code driftDetected}
     * @param statistic its statistic (D, chi-square) or distance
     * @param pValue its p-value as computed, for p-value tests (else null)
     * @param adjustedPValue the p-value after the report's multiple-testing correction (else null)
     * @param threshold the significance level or distance threshold the test was held to
     * @param psi the Population Stability Index (computed for every evaluated feature)
     * @param severity the severity from the PSI
     */
    public record Decision(StatTest test, double statistic, Double pValue, Double adjustedPValue, double threshold,
                           double psi, Severity severity) {
    }

    /**
     * The missing-value shares on both sides.
     *
     * @param referenceShare the share of missing values in the reference
     * @param currentShare the share in the current data, or null when the column is missing
     * @param drift whether the share moved by more than the detector's threshold
     */
    public record Missing(double referenceShare, Double currentShare, boolean drift) {
    }

    /** A column's statistics, by type. */
    public sealed interface ColumnStats permits NumericStats, CategoricalStats {
    }

    /**
     * The statistics of a numeric column.
     *
     * @param ksStatistic Kolmogorov-Smirnov D
     * @param ksPValue Kolmogorov-Smirnov p-value
     * @param wasserstein Wasserstein-1 distance
     * @param wassersteinNormalized Wasserstein-1 over the reference's standard deviation
     * @param referenceMean the reference's mean
     * @param currentMean the current mean
     * @param referenceStd the reference's sample standard deviation, or null for one value
     * @param currentStd the current sample standard deviation, or null for one value
     * @param meanChange |current mean - reference mean| / reference std
     * @param stdChange |current std - reference std| / reference std, or null
     */
    public record NumericStats(double ksStatistic, double ksPValue, double wasserstein, double wassersteinNormalized,
                               double referenceMean, double currentMean, Double referenceStd, Double currentStd,
                               double meanChange, Double stdChange) implements ColumnStats {
    }

    /**
     * The statistics of a categorical column.
     *
     * @param chiSquare chi-square statistic (with Yates' correction for 2x2)
     * @param chiSquarePValue its p-value
     * @param jensenShannon Jensen-Shannon distance of the category proportions
     * @param newCategories categories only in the current data, sorted
     * @param missingCategories categories only in the reference, sorted
     */
    public record CategoricalStats(double chiSquare, double chiSquarePValue, double jensenShannon,
                                   List<String> newCategories, List<String> missingCategories) implements ColumnStats {

        /**
         * Copies the lists.
         *
         * @param chiSquare chi-square statistic
         * @param chiSquarePValue its p-value
         * @param jensenShannon Jensen-Shannon distance
         * @param newCategories new categories
         * @param missingCategories vanished categories
         */
        public CategoricalStats {
            newCategories = List.copyOf(newCategories);
            missingCategories = List.copyOf(missingCategories);
        }
    }
}
