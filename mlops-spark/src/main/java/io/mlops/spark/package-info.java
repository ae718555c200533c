/**
 * Drift reference profiles of Spark DataFrames: {@link io.mlops.spark.SparkProfiles}.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so.
 */
package io.mlops.spark;
