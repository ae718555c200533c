package io.mlops.core;

/**
 * A lock could not be acquired within the timeout, because another thread or process held it.
 *
 * @since 0.1.0
 */
public class LockTimeoutException extends StorageException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the identifiers involved
     */
    public LockTimeoutException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, naming the identifiers involved
     * @param cause the underlying failure
     */
    public LockTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
