package io.mlops.core;

/**
 * Hears how far long work has come — reading a large CSV, storing a large file — for a progress
 * bar. Called on the working thread, at most every 1 MiB or so and once more at the end with
 * {@code done == total}; keep it quick. A second pass over the same bytes (a CSV whose column types
 * were settled only at its end) starts again from 0.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ProgressListener {

    /** Hears nothing. */
    ProgressListener NONE = (done, total) -> { };

    /**
     * Reports progress.
     *
     * @param done bytes processed so far
     * @param total bytes in all, or -1 when unknown
     */
    void progress(long done, long total);
}
