package io.mlops.core;

/**
 * A requested item (a blob, a model version, a dataset version) does not exist.
 *
 * <p>{@code find…} methods return {@link java.util.Optional#empty()} instead; {@code get…} methods
 * throw this or a subclass of it.
 *
 * @since 0.1.0
 */
public class NotFoundException extends MlopsException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the identifiers involved
     */
    public NotFoundException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, naming the identifiers involved
     * @param cause the underlying failure
     */
    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
