package io.mlops.core;

/**
 * An item with the same identity already exists and the operation was not allowed to replace it.
 *
 * @since 0.1.0
 */
public class AlreadyExistsException extends MlopsException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the identifiers involved
     */
    public AlreadyExistsException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, naming the identifiers involved
     * @param cause the underlying failure
     */
    public AlreadyExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
