package io.mlops.s3;

import io.mlops.core.StorageException;
import io.mlops.core.spi.BlobStore;
import io.mlops.s3.internal.S3Blobs;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Builds a {@link BlobStore} on an S3-compatible object store, for a registry or dataset store that
 * several machines share.
 *
 * <pre>{@code
 * BlobStore blobs = S3BlobStore.builder()
 *     .endpoint(URI.create("http://127.0.0.1:9000"))   // any S3-compatible service; omitted = AWS
 *     .region("us-east-1").bucket("mlops").prefix("prod/")
 *     .credentials("access-key", "secret-key")          // omitted = the SDK's default provider chain
 *     .pathStyle(true)
 *     .build();
 * }</pre>
 *
 * <p>Content-addressed exactly like the file-system store: a blob is the object
 * {@code PREFIX objects/ab/<sha256>}. A put reads its stream once, hashing it: content up to 1 MiB
 * is uploaded from memory in one request; larger content is spooled to a local temp file while
 * hashed, then uploaded straight to its final key — in one request streamed from the file up to
 * the multipart threshold (256 MiB by default), else by a multipart upload (16 MiB parts, four at a
 * time) whose completion is the commit point. Until then nothing is visible, and a writer that dies
 * leaves at most an incomplete upload, not an object. Identical content is one object: a put of stored content
 * uploads it again over the stored object, which repairs one damaged or replaced. Every read is
 * verified against the SHA-256 in its key, so a damaged or substituted object fails with an
 * {@link io.mlops.core.IntegrityException}. Never the whole artifact in memory.
 *
 * <p>Incomplete uploads older than a day under the prefix (left by killed writers) are aborted when
 * a store is built. {@code build()} checks that the bucket exists and the credentials are accepted,
 * and fails with a {@link StorageException} naming the endpoint and bucket otherwise.
 *
 * <p>The store is thread-safe and may be shared by every thread of a process and by processes on
 * several machines. The object it returns also implements {@link AutoCloseable}: close it to
 * release its HTTP connections.
 *
 * @since 0.1.0
 */
public final class S3BlobStore {

    private S3BlobStore() {
    }

    /**
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of an S3 blob store; {@link #bucket} is required. Not thread-safe. */
    public static final class Builder {

        private URI endpoint;
        private String region = "us-east-1";
        private String bucket;
        private String prefix = "";
        private String accessKey;
        private String secretKey;
        private boolean pathStyle;
        private long partSize = 16L << 20;
        private long multipartThreshold = 256L << 20;
        private Path spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"));

        private Builder() {
        }

        /**
         * Sets the service's URI, for an S3-compatible service (MinIO, Ceph, s3proxy); omitted, AWS.
         *
         * @param endpoint for example {@code http://127.0.0.1:9000}
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            URI e = Objects.requireNonNull(endpoint, "endpoint");
            if (e.getScheme() == null || !(e.getScheme().equals("http") || e.getScheme().equals("https")) || e.getHost() == null) {
                throw new IllegalArgumentException("endpoint must be an http or https URI with a host but was " + endpoint);
            }
            this.endpoint = e;
            return this;
        }

        /**
         * Sets the region (default {@code us-east-1}, which most S3-compatible services accept).
         *
         * @param region the region
         * @return this builder
         */
        public Builder region(String region) {
            this.region = requireText(region, "region");
            return this;
        }

        /**
         * Sets the bucket, which must exist.
         *
         * @param bucket the bucket's name
         * @return this builder
         */
        public Builder bucket(String bucket) {
            String b = requireText(bucket, "bucket");
            if (!b.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("bucket must be 3 to 63 lowercase letters, digits, '.' or '-' but was '"
                        + bucket + "'");
            }
            this.bucket = b;
            return this;
        }

        /**
         * Sets a key prefix under which every object goes, such as {@code prod/}; default none.
         *
         * @param prefix the prefix; a trailing {@code /} is added when missing
         * @return this builder
         */
        public Builder prefix(String prefix) {
            String p = Objects.requireNonNull(prefix, "prefix");
            if (p.startsWith("/") || p.contains("//") || p.chars().anyMatch(Character::isISOControl) || p.length() > 512) {
                throw new IllegalArgumentException("prefix must not start with '/', contain '//' or control characters,"
                        + " or exceed 512 characters, but was '" + prefix + "'");
            }
            this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
            return this;
        }

        /**
         * Sets static credentials; omitted, the AWS SDK's default provider chain (environment,
         * profile, instance role) supplies them.
         *
         * @param accessKey the access key id
         * @param secretKey the secret access key
         * @return this builder
         */
        public Builder credentials(String accessKey, String secretKey) {
            this.accessKey = requireText(accessKey, "accessKey");
            this.secretKey = requireText(secretKey, "secretKey");
            return this;
        }

        /**
         * Sets path-style addressing ({@code endpoint/bucket/key}), which most S3-compatible
         * services need; default false (virtual-hosted style, as AWS prefers).
         *
         * @param pathStyle whether to use path-style addressing
         * @return this builder
         */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /**
         * Sets the multipart upload's part size (default 16 MiB; 5 MiB to 512 MiB, as S3 allows).
         * Four parts are in memory at a time.
         *
         * @param bytes the part size
         * @return this builder
         */
        public Builder partSize(long bytes) {
            if (bytes < (5L << 20) || bytes > (512L << 20)) {
                throw new IllegalArgumentException("partSize must be 5 MiB to 512 MiB but was " + bytes);
            }
            this.partSize = bytes;
            return this;
        }

        /**
         * Sets the largest content uploaded in one request, streamed from the spool file (default
         * 256 MiB, at most 5 GiB as S3 allows); larger content goes up in parts, four at a time.
         *
         * @param bytes the threshold
         * @return this builder
         */
        public Builder multipartThreshold(long bytes) {
            if (bytes < (1L << 20) || bytes > (5L << 30)) {
                throw new IllegalArgumentException("multipartThreshold must be 1 MiB to 5 GiB but was " + bytes);
            }
            this.multipartThreshold = bytes;
            return this;
        }

        /**
         * Sets the folder where content larger than one part is spooled while it is hashed (default
         * {@code java.io.tmpdir}).
         *
         * @param directory an existing folder
         * @return this builder
         */
        public Builder spoolDirectory(Path directory) {
            this.spoolDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Connects, checks the bucket and the credentials, and aborts stale incomplete uploads.
         *
         * @return the store; it also implements {@link AutoCloseable}
         * @throws IllegalStateException when no bucket was set
         * @throws StorageException when the endpoint cannot be reached, the bucket does not exist or
         *     the credentials are refused
         */
        public BlobStore build() {
            if (bucket == null) {
                throw new IllegalStateException("bucket(...) is required");
            }
            return S3Blobs.open(new S3Blobs.Settings(endpoint, region, bucket, prefix, accessKey, secretKey, pathStyle,
                    partSize, multipartThreshold, spoolDirectory));
        }

        private static String requireText(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
