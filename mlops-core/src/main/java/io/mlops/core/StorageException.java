package io.mlops.core;

/**
 * An I/O failure of the underlying storage (a file system, a database).
 *
 * <p>The cause holds the original {@link java.io.IOException} or {@link java.sql.SQLException}.
 *
 * @since 0.1.0
 */
public class StorageException extends MlopsException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the identifiers involved
     */
    public StorageException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, naming the identifiers involved
     * @param cause the underlying failure
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Runs storage work and turns its {@link java.io.IOException} into this exception: the one place
     * where the stores' checked failures become the API's unchecked ones.
     *
     * @param what what is being done, for the message (e.g. {@code "Registry read"})
     * @param action the work
     * @param <T> its result type
     * @return what the work returned
     * @throws StorageException when the work fails with an I/O error
     */
    public static <T> T wrap(String what, io.mlops.core.spi.IoSupplier<T> action) {
        try {
            return action.get();
        } catch (java.io.IOException e) {
            throw new StorageException(what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Describes an I/O failure in words for a message: a file-system error as its file and reason
     * ({@code /srv/mlops/registry: exists and is not a folder}), never the name of its class.
     *
     * @param e the failure
     * @return the description
     * @since 0.1.0
     */
    public static String describe(java.io.IOException e) {
        if (e instanceof java.nio.file.FileSystemException fs) {
            String reason = fs instanceof java.nio.file.FileAlreadyExistsException ? "exists and is not a folder"
                    : fs instanceof java.nio.file.NotDirectoryException ? "is not a folder"
                    : fs instanceof java.nio.file.NoSuchFileException ? "does not exist"
                    : fs instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : fs.getReason() != null ? fs.getReason() : "cannot be used";
            return fs.getFile() + ": " + reason;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
