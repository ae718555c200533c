package io.mlops.spark.internal;

import io.mlops.core.MlopsException;
import io.mlops.core.StorageException;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * Runs the Spark work of the library's calls and turns its failures into the library's exceptions:
 * Spark throws its checked {@code SparkException} (and {@code AnalysisException}) past Java
 * signatures, with the executor's stack trace inside the message. A failure whose causes include
 * an I/O error becomes a {@link StorageException}, any other an {@link MlopsException}; the message
 * says what was being done and gives Spark's reason in one line (the innermost cause's message —
 * the caller's own exception for a failing expression, the file for a missing one, the job group
 * for a cancelled job); Spark's exception is the cause. The library's own exceptions pass
 * unchanged; an interrupt is kept. Stateless.
 */
public final class SparkJobs {

    private static final int MAX_REASON = 500;

    private SparkJobs() {
    }

    /**
     * @param what what is being done, e.g. {@code "profile the DataFrame"}, for "Spark could not ..."
     * @param job the work
     * @param <T> its result type
     * @return what the work returned
     * @throws MlopsException when the work fails
     */
    public static <T> T run(String what, Supplier<T> job) {
        try {
            return job.get();
        } catch (MlopsException e) {
            throw e;
        } catch (Exception e) { // Spark's checked exceptions arrive here although no signature declares them
            throw translate(what, e);
        }
    }

    /**
     * @param what what was being done
     * @param e Spark's failure
     * @return the library's exception for it
     */
    static MlopsException translate(String what, Exception e) {
        boolean io = false;
        Throwable innermost = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            io |= t instanceof IOException;
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                innermost = t;
            }
        }
        String message = "Spark could not " + what + ": " + reason(innermost);
        return io ? new StorageException(message, e) : new MlopsException(message, e);
    }

    /** The first line of a message, at most {@value #MAX_REASON} characters. */
    private static String reason(Throwable t) {
        String m = t.getMessage() == null ? "failed without a reason" : t.getMessage().strip();
        int eol = m.indexOf('\n');
        if (eol >= 0) {
            m = m.substring(0, eol).strip();
        }
        return m.length() <= MAX_REASON ? m : m.substring(0, MAX_REASON) + "...";
    }
}
