package io.mlops.monitor;

import io.mlops.core.NotFoundException;

/**
 * Feedback names a prediction id that was never logged (or was purged).
 *
 * @since 0.1.0
 */
public class UnknownPredictionException extends NotFoundException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which id
     */
    public UnknownPredictionException(String message) {
        super(message);
    }
}
