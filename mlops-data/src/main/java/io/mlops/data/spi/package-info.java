/**
 * Extension points of data versioning: where version records live ({@link io.mlops.data.spi.DatasetStore})
 * and how datasets are rendered to bytes ({@link io.mlops.data.spi.DatasetFormat}).
 */
package io.mlops.data.spi;
