/**
 * The content-addressed {@link io.mlops.core.spi.BlobStore} extension point, for artifacts and dataset
 * bytes.
 */
package io.mlops.core.spi;
