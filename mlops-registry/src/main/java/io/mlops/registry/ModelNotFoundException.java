package io.mlops.registry;

import io.mlops.core.NotFoundException;

/**
 * A model, a model version or an alias target does not exist.
 *
 * @since 0.1.0
 */
public class ModelNotFoundException extends NotFoundException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is missing, naming the model and version
     */
    public ModelNotFoundException(String message) {
        super(message);
    }
}
