package io.mlops.core;

/**
 * A configuration file could not be read, or a configuration value is missing or of the wrong type.
 *
 * <p>The message names the file (with line and column for malformed JSON) or the dotted path and
 * the type that was found.
 *
 * @since 0.1.0
 */
public class ConfigException extends MlopsException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the identifiers involved
     */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, naming the identifiers involved
     * @param cause the underlying failure
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
