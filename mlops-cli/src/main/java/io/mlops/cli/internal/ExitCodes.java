package io.mlops.cli.internal;

import io.mlops.core.ConfigException;
import io.mlops.core.IntegrityException;
import io.mlops.core.NotFoundException;
import io.mlops.core.StorageException;
import io.mlops.core.ValidationException;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/** The command line's exit codes, and the one line an error prints. */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** {@code mlops drift} found drift. */
    public static final int DRIFT = 1;
    /** The command line is wrong: an unknown option, a missing parameter, a bad --root. */
    public static final int USAGE = 2;
    /** Something asked for does not exist. */
    public static final int NOT_FOUND = 3;
    /** The input is wrong (a malformed file, an invalid name or version), or the change is refused (a version in use). */
    public static final int BAD_INPUT = 4;
    /** A store could not be read or written. */
    public static final int STORAGE = 5;
    /** {@code mlops drift}: a side has fewer rows than {@code --min-rows}, so no decision can be made. */
    public static final int TOO_LITTLE_DATA = 6;
    /** A bug. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }

    /**
     * Returns the exit code for an error.
     *
     * @param e the error
     * @return its exit code
     */
    public static int of(Throwable e) {
        if (e instanceof picocli.CommandLine.ParameterException) {
            return USAGE;
        }
        if (e instanceof UsageError) {
            return USAGE;
        }
        if (e instanceof TooLittleData) {
            return TOO_LITTLE_DATA;
        }
        if (e instanceof NotFoundException || e instanceof NoSuchFileException
                || e instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException) {
            return NOT_FOUND;
        }
        if (e instanceof ValidationException || e instanceof ConfigException || e instanceof IllegalArgumentException
                || e instanceof io.mlops.core.AlreadyExistsException) {
            return BAD_INPUT;
        }
        if (e instanceof StorageException || e instanceof IntegrityException || e instanceof java.io.IOException
                || e instanceof UncheckedIOException) {
            return STORAGE;
        }
        if (e instanceof io.mlops.core.MlopsException) {
            return BAD_INPUT; // a change the library refuses as asked: a version an alias points at, a dataset in use
        }
        return INTERNAL;
    }

    /** A command line that cannot work, found while running (a {@code --root} that is a file). */
    public static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the error.
         *
         * @param message what is wrong, and what to do
         */
        public UsageError(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code mlops drift}: a side holds too few rows for a decision (exit code {@value #TOO_LITTLE_DATA}). */
    public static final class TooLittleData extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the error.
         *
         * @param message which side, how many rows, how many needed
         */
        public TooLittleData(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Returns the error's message on one line (a missing file says which).
     *
     * @param e the error
     * @return the error's message on one line
     */
    public static String message(Throwable e) {
        Throwable shown = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String m = shown instanceof NoSuchFileException n ? "no such file: " + n.getFile()
                : shown instanceof java.nio.file.FileSystemException fs ? StorageException.describe(fs) : shown.getMessage();
        if (m == null || m.isBlank()) {
            m = shown.getClass().getSimpleName();
        }
        if (of(e) == INTERNAL) {
            m = "internal error (" + shown.getClass().getSimpleName() + "): " + m + "; run with --verbose for details";
        }
        return m.replace('\n', ' ').replace('\r', ' ');
    }
}
