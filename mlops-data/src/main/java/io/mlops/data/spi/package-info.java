/**
 * Extension points of data versioning: where version records live ({@link io.mlops.data.spi.DatasetStore})
 * and how datasets are rendered to bytes ({@link io.mlops.data.spi.DatasetFormat}).
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.data.spi;
