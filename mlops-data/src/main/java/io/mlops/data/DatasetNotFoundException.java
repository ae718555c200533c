package io.mlops.data;

import io.mlops.core.NotFoundException;

/**
 * A dataset version does not exist.
 *
 * @since 0.1.0
 */
public class DatasetNotFoundException extends NotFoundException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which version is missing
     */
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
