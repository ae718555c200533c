package io.mlops.registry;

import io.mlops.core.NotFoundException;

/** A model, a model version or an alias target does not exist. */
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
