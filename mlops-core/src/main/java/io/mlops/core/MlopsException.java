package io.mlops.core;

/**
 * The root of every exception this library throws on purpose.
 *
 * <p>All of the library's exceptions are unchecked. Each subclass carries the identifiers involved
 * (a model name, a dataset id, a file) in its message, so that a log line alone says what failed and
 * why. Misuse of an API (a {@code null} argument, a negative size) is reported with the JDK's own
 * {@link IllegalArgumentException} or {@link NullPointerException} instead.
 *
 * @since 0.1.0
 */
public class MlopsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what failed, naming the identifiers involved
     */
    public MlopsException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the cause.
     *
     * @param message what failed, naming the identifiers involved
     * @param cause the underlying failure
     */
    public MlopsException(String message, Throwable cause) {
        super(message, cause);
    }
}
