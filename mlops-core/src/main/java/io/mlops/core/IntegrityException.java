package io.mlops.core;

/**
 * Stored bytes do not match the SHA-256 digest they were stored under.
 *
 * <p>Thrown while reading a content-addressed blob, at the end of the stream at the latest: a caller
 * that reads a stream to its end never sees corrupted bytes without this exception.
 *
 * @since 0.1.0
 */
public class IntegrityException extends MlopsException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the identifiers involved
     */
    public IntegrityException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, naming the identifiers involved
     * @param cause the underlying failure
     */
    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
