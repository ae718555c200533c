package io.mlops.spring.boot;

import io.mlops.core.spi.BlobStore;

/** The S3 blob store of {@code mlops.s3.*}, in a class of its own so that mlops-s3 is needed only when a bucket is set. */
final class S3Blobs {

    private S3Blobs() {
    }

    /** One bucket for the registry and the data, as the command line's {@code stores.s3.*}: content-addressed, shared. */
    static BlobStore store(MlopsProperties.S3 s3) {
        io.mlops.s3.S3BlobStore.Builder b = io.mlops.s3.S3BlobStore.builder().bucket(s3.getBucket()).region(s3.getRegion())
                .pathStyle(s3.isPathStyle());
        if (s3.getPrefix() != null && !s3.getPrefix().isEmpty()) {
            b.prefix(s3.getPrefix());
        }
        if (s3.getEndpoint() != null && !s3.getEndpoint().isBlank()) {
            b.endpoint(java.net.URI.create(s3.getEndpoint()));
        }
        return b.build();
    }
}
