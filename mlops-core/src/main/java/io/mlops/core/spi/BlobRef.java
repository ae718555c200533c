package io.mlops.core.spi;

import io.mlops.core.internal.io.Sha256;

/**
 * A stored blob: its SHA-256 and its size.
 *
 * @param sha256 64 lower-case hex digits; the blob's identity
 * @param size the number of bytes
 * @since 0.1.0
 */
public record BlobRef(String sha256, long size) {

    /**
     * Validates the components.
     *
     * @param sha256 64 lower-case hex digits
     * @param size the number of bytes, {@code >= 0}
     * @throws io.mlops.core.ValidationException when {@code sha256} is not 64 lower-case hex digits
     * @throws IllegalArgumentException when {@code size} is negative
     */
    public BlobRef {
        Sha256.requireValid(sha256);
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0 but was " + size);
        }
    }
}
