/**
 * A content-addressed {@link io.mlops.core.spi.BlobStore} on any S3-compatible object store: AWS S3,
 * MinIO, Ceph, s3proxy. {@link io.mlops.s3.S3BlobStore#builder()} is the entry point.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.s3;
