/**
 * Dataset versioning: content-identified versions of datasets and files, a lineage DAG, and version
 * comparison ({@link io.mlops.data.DataVersioning}).
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.data;
