package io.mlops.core;

/**
 * A write to a store that was opened read-only, because its folder is not writable (a read-only
 * volume, such as a registry mounted into serving containers). Reads of such a store work.
 *
 * @since 0.1.0
 */
public class ReadOnlyException extends StorageException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be written, and where
     */
    public ReadOnlyException(String message) {
        super(message);
    }
}
