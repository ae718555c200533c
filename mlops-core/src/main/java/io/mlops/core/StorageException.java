package io.mlops.core;

/**
 * An I/O failure of the underlying storage (a file system, a database).
 *
 * <p>The cause holds the original {@link java.io.IOException} or {@link java.sql.SQLException}.
 */
public class StorageException extends MlopsException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the identifiers involved
     */
    public StorageException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, naming the identifiers involved
     * @param cause the underlying failure
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
