/**
 * Parquet for datasets and data versioning: {@link io.mlops.parquet.Parquet}.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so.
 */
package io.mlops.parquet;
