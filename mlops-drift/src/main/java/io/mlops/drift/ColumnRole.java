package io.mlops.drift;

/**
 * What a column is to the drift detector ({@link DriftDetector.Builder#target},
 * {@link DriftDetector.Builder#prediction}, {@link DriftDetector.Builder#ignore}).
 *
 * @since 0.1.0
 */
public enum ColumnRole {
    /** An input feature: tested, and counted in the drift share (the default). */
    FEATURE,
    /** The label: tested and reported apart ({@link DriftReport#targetDrift()}), not counted in the drift share. */
    TARGET,
    /** The model's output: tested and reported apart ({@link DriftReport#predictionDrift()}), not counted in the drift share. */
    PREDICTION,
    /** Neither profiled nor tested nor listed as new (identifiers, timestamps). */
    IGNORED
}
