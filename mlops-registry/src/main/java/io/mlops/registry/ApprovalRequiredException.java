package io.mlops.registry;

import io.mlops.core.MlopsException;

/**
 * An alias move refused because the alias is protected ({@link ModelRegistry#protectAlias}) and
 * moves only through an approved request, or an approval refused (by the requester, twice by one
 * person, of a request that is not pending). Nothing moved.
 *
 * @since 0.1.0
 */
public class ApprovalRequiredException extends MlopsException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused and what to do
     */
    public ApprovalRequiredException(String message) {
        super(message);
    }
}
