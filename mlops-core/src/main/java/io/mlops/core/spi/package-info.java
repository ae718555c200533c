/**
 * The content-addressed {@link io.mlops.core.spi.BlobStore} extension point, for artifacts and dataset
 * bytes.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.core.spi;
