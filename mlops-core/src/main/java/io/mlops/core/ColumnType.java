package io.mlops.core;

/**
 * The type of a {@link Dataset} column.
 *
 * @since 0.1.0
 */
public enum ColumnType {
    /** Floating-point values ({@code double}); {@code NaN} marks a missing value. */
    NUMERIC,
    /** Strings drawn from a set of categories; {@code null} marks a missing value. */
    CATEGORICAL
}
