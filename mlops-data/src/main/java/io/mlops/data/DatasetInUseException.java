package io.mlops.data;

import io.mlops.core.MlopsException;

/**
 * A version cannot be deleted because other versions list it as a parent.
 *
 * @since 0.1.0
 */
public class DatasetInUseException extends MlopsException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which version and which children
     */
    public DatasetInUseException(String message) {
        super(message);
    }
}
