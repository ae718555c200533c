package io.mlops.drift;

import io.mlops.core.Dataset;

import java.util.List;

/**
 * A multivariate drift method fitted on a reference ({@link Multivariate#fit}): compares current
 * datasets with it. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public interface MultivariateDrift {

    /**
     * The verdict on one current dataset.
     *
     * @param method the method, {@code pca_reconstruction} or {@code domain_classifier}
     * @param value the current rows' mean reconstruction error, or the classifier's AUC
     * @param referenceValue the reference rows' mean reconstruction error, or 0.5 (no skill)
     * @param lower the lower threshold (NaN for the domain classifier)
     * @param upper the upper threshold (the domain classifier's: the permutations' 99th percentile)
     * @param rows the current rows
     * @param driftDetected whether the value left [lower, upper]
     * @since 0.1.0
     */
    record Result(String method, double value, double referenceValue, double lower, double upper, long rows,
                  boolean driftDetected) {
    }

    /**
     * @param current the current data; it must have every column of {@link #features()}, numeric
     * @return the verdict
     * @throws IllegalArgumentException when a feature is missing or not numeric, or there are no rows
     */
    Result detect(Dataset current);

    /**
     * @return the numeric features it watches (the reference's numeric columns that vary)
     */
    List<String> features();

    /**
     * @return the principal components kept (0 for the domain classifier)
     */
    int components();

    /**
     * @param rows a current dataset's size
     * @return the thresholds [lower, upper] for that many rows (NaN for the domain classifier,
     *     whose threshold comes from each check's permutations)
     */
    double[] thresholds(long rows);
}
