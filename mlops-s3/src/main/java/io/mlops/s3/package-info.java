/**
 * A content-addressed {@link io.mlops.core.spi.BlobStore} on any S3-compatible object store: AWS S3,
 * MinIO, Ceph, s3proxy. {@link io.mlops.s3.S3BlobStore#builder()} is the entry point.
 */
package io.mlops.s3;
