package io.mlops.registry;

import io.mlops.core.MlopsException;

/**
 * A version an alias's trust policy does not accept: not signed, or signed by no key of the
 * policy, or signed over other bytes or metadata than it has. Nothing moved.
 *
 * @since 0.1.0
 */
public class UntrustedModelException extends MlopsException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the model, version, alias and why
     */
    public UntrustedModelException(String message) {
        super(message);
    }
}
