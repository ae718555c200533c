package io.mlops.registry;

import io.mlops.core.MlopsException;

/**
 * A version cannot be deleted because an alias points at it (delete with {@code force} to remove the aliases too).
 *
 * @since 0.1.0
 */
public class ModelInUseException extends MlopsException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which version and which aliases
     */
    public ModelInUseException(String message) {
        super(message);
    }
}
