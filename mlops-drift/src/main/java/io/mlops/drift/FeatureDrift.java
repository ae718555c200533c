package io.mlops.drift;

import io.mlops.core.ColumnType;

import java.util.List;
import java.util.Objects;

/**
 * One feature's drift. Fields that do not apply to the feature's type or status are {@code null}
 * (numeric statistics for a categorical feature, everything but the status for a missing column).
 *
 * @param feature the column name
 * @param type the column's type in the reference
 * @param status {@link Status#EVALUATED}, or {@link Status#MISSING} when the current data lacks the
 *     column, or {@link Status#NOT_TESTABLE} when one side has no values to test
 * @param test the test that decided {@code driftDetected}
 * @param statistic that test's statistic (D, chi-square) or distance
 * @param pValue that test's p-value as computed, for p-value tests
 * @param adjustedPValue the p-value after the report's multiple-testing correction
 * @param threshold the significance level or distance threshold the test was held to
 * @param driftDetected whether the feature drifted (by its test, or by its missing share)
 * @param psi the Population Stability Index
 * @param severity the severity from the PSI
 * @param ksStatistic Kolmogorov-Smirnov D (numeric)
 * @param ksPValue Kolmogorov-Smirnov p-value (numeric)
 * @param chiSquare chi-square statistic (categorical)
 * @param chiSquarePValue chi-square p-value (categorical)
 * @param wasserstein Wasserstein-1 distance (numeric)
 * @param wassersteinNormalized Wasserstein-1 over the reference's standard deviation (numeric)
 * @param jensenShannon Jensen-Shannon distance of the category proportions (categorical)
 * @param referenceMean the reference's mean (numeric)
 * @param currentMean the current mean (numeric)
 * @param referenceStd the reference's sample standard deviation (numeric)
 * @param currentStd the current sample standard deviation (numeric)
 * @param meanChange |current mean - reference mean| / reference std, as the reference computes it
 * @param stdChange |current std - reference std| / reference std
 * @param referenceMissingShare the share of missing values in the reference
 * @param currentMissingShare the share of missing values in the current data
 * @param missingShareDrift whether the missing share moved by more than the detector's threshold
 * @param newCategories categories only in the current data, sorted (categorical)
 * @param missingCategories categories only in the reference, sorted (categorical)
 */
public record FeatureDrift(String feature, ColumnType type, Status status, StatTest test, Double statistic, Double pValue,
                           Double adjustedPValue, Double threshold, boolean driftDetected, Double psi, Severity severity,
                           Double ksStatistic, Double ksPValue, Double chiSquare, Double chiSquarePValue,
                           Double wasserstein, Double wassersteinNormalized, Double jensenShannon,
                           Double referenceMean, Double currentMean, Double referenceStd, Double currentStd,
                           Double meanChange, Double stdChange, double referenceMissingShare, Double currentMissingShare,
                           boolean missingShareDrift, List<String> newCategories, List<String> missingCategories) {

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
     * Copies the lists.
     *
     * @param feature the column name
     * @param type the column's type
     * @param status the status
     * @param test the deciding test
     * @param statistic its statistic
     * @param pValue its p-value
     * @param adjustedPValue its corrected p-value
     * @param threshold its threshold
     * @param driftDetected whether the feature drifted
     * @param psi the PSI
     * @param severity the severity
     * @param ksStatistic KS D
     * @param ksPValue KS p-value
     * @param chiSquare chi-square
     * @param chiSquarePValue chi-square p-value
     * @param wasserstein Wasserstein-1
     * @param wassersteinNormalized normalised Wasserstein-1
     * @param jensenShannon Jensen-Shannon distance
     * @param referenceMean reference mean
     * @param currentMean current mean
     * @param referenceStd reference std
     * @param currentStd current std
     * @param meanChange mean change in reference stds
     * @param stdChange std change in reference stds
     * @param referenceMissingShare reference missing share
     * @param currentMissingShare current missing share
     * @param missingShareDrift whether the missing share drifted
     * @param newCategories new categories
     * @param missingCategories vanished categories
     */
    public FeatureDrift {
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(status, "status");
        newCategories = newCategories == null ? List.of() : List.copyOf(newCategories);
        missingCategories = missingCategories == null ? List.of() : List.copyOf(missingCategories);
    }
}
