package io.mlops.core;

/**
 * Input that cannot be accepted: an invalid name, a malformed semantic version, a malformed
 * dataset or CSV file.
 *
 * <p>Thrown before anything is written: bad input never leaves partial state behind.
 *
 * @since 0.1.0
 */
public class ValidationException extends MlopsException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the identifiers involved
     */
    public ValidationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, naming the identifiers involved
     * @param cause the underlying failure
     */
    public ValidationException(String message, Throwable cause) {
        super(message, cause);
    }
}
