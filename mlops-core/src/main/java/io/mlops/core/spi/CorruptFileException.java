package io.mlops.core.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file the library owns cannot be read as what it should hold: damaged on disk, cut short, or
 * edited by hand. Stores throw it so that the damage can stay local: listings skip the file with a
 * warning, and only the item it holds fails to load.
 *
 * @since 0.1.0
 */
public class CorruptFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Creates the corrupt file exception.
     *
     * @param file the damaged file
     * @param reason what is wrong with it
     * @param cause the parser's error, or null
     */
    public CorruptFileException(Path file, String reason, Throwable cause) {
        super("Damaged file " + file + ": " + reason, cause);
        this.file = file;
    }

    /**
     * @return the damaged file
     */
    public Path file() {
        return file;
    }
}
