package io.mlops.parquet;

import io.mlops.data.DataVersioning;
import io.mlops.drift.ReferenceProfile;
import io.mlops.parquet.internal.DuckProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Drift reference profiles of Parquet data of any size, computed outside the heap (an embedded
 * DuckDB that sorts on disk beyond its memory cap), so that a training set that does not fit in
 * memory can still be the reference of a {@link io.mlops.drift.DriftDetector} or of
 * {@code monitor.drift(window, profile)}:
 *
 * <pre>{@code
 * ReferenceProfile profile = ParquetProfiles.profile(Path.of("training/"), 10);
 * Files.writeString(Path.of("training.profile.json"), profile.toJson());
 * DriftReport report = DriftDetector.builder(profile).build().detect(currentBatch);
 * }</pre>
 *
 * <p><b>CSV.</b> A source whose name ends in {@code .csv} is read by the library's own CSV reader
 * (the types and values {@link io.mlops.core.Dataset#readCsv(Path)} gives) in chunks that are
 * appended to the engine's on-disk table, then profiled the same way: a CSV larger than the heap is
 * profiled too (at the cost of loading it first).
 *
 * <p><b>Exact up to a budget, sketched beyond it.</b> A source of at most {@link #EXACT_ROWS} rows
 * (or the budget given) is profiled exactly: every statistic comes from every value — counts,
 * missing counts, means and standard deviations (up to the order of floating-point additions), the
 * PSI edges (NumPy's linear quantiles) and proportions, category counts, and the quantile points of
 * the profile's format 2 (see {@link ReferenceProfile}); each numeric column is sorted once, on
 * disk beyond the engine's memory cap. The profile is then the one a detector would make from the
 * same data in the heap; the Kolmogorov-Smirnov statistic a check computes from its points is
 * within {@code 1 / ceil(16 sqrt(n))} of the exact one, as for any saved profile.
 *
 * <p>A larger source is profiled in one streamed pass instead of a sort per column: its quantile
 * points and PSI edges are read from a KLL quantile sketch per column (Apache DataSketches, the
 * kind the monitor keeps of live traffic, k = 4096), whose normalised rank error is
 * {@code 0.00071} with 99% confidence — each point's rank within {@code 0.00071 n} of its exact
 * rank; counts, means, standard deviations, the PSI proportions of the estimated edges and
 * category counts stay exact. The profile records the bound per column
 * ({@link ReferenceProfile#rankError}), and every drift report made from it repeats it
 * ({@link io.mlops.drift.DriftReport#referenceRankErrors()}): its KS statistics are then within
 * {@code rankError + 1 / ceil(16 sqrt(n))} of the exact ones. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ParquetProfiles {

    /**
     * The default exact budget: sources of at most ten million rows are profiled exactly, larger ones
     * with sketches (an exact profile sorts each numeric column; a sketched one reads the source once).
     */
    public static final long EXACT_ROWS = 10_000_000L;

    private ParquetProfiles() {
    }

    /**
     * Profiles a Parquet file, a folder of part files, or a CSV file, outside the heap: exactly up to
     * {@link #EXACT_ROWS} rows, with sketches beyond.
     *
     * @param source the Parquet file or folder, or a {@code .csv} file
     * @param psiBins the number of quantile bins for numeric PSI, {@code >= 2} (the detector's default is 10)
     * @return the profile (format 2)
     * @throws io.mlops.core.ValidationException when it is not Parquet or holds a column a dataset cannot
     */
    public static ReferenceProfile profile(Path source, int psiBins) {
        return profile(source, psiBins, EXACT_ROWS, io.mlops.core.ProgressListener.NONE);
    }

    /**
     * Profiles a Parquet file or folder, telling a listener how the work goes.
     *
     * @param source the file or folder
     * @param psiBins the number of quantile bins for numeric PSI, {@code >= 2}
     * @param progress hears the columns profiled of all the columns (exact), or the rows read of all the
     *     rows (sketched), on the calling thread
     * @return the profile (format 2)
     */
    public static ReferenceProfile profile(Path source, int psiBins, io.mlops.core.ProgressListener progress) {
        return profile(source, psiBins, EXACT_ROWS, progress);
    }

    /**
     * Profiles a Parquet file or folder with an exact budget of one's own.
     *
     * @param source the file or folder
     * @param psiBins the number of quantile bins for numeric PSI, {@code >= 2}
     * @param exactRows the most rows profiled exactly ({@code Long.MAX_VALUE}: always exact; 0: always sketched)
     * @param progress hears the columns profiled of all the columns (exact), or the rows read of all the rows (sketched)
     * @return the profile (format 2)
     */
    public static ReferenceProfile profile(Path source, int psiBins, long exactRows, io.mlops.core.ProgressListener progress) {
        return DuckProfile.profile(source, psiBins, exactRows, java.util.Objects.requireNonNull(progress, "progress"));
    }

    /**
     * Profiles a folder version of data versioning: its files are checked out, verified, into a
     * temporary folder, profiled, and removed.
     *
     * @param data the data versioning
     * @param id a folder version's id
     * @param psiBins the number of quantile bins for numeric PSI
     * @return the profile
     */
    public static ReferenceProfile profile(DataVersioning data, String id, int psiBins) {
        Path temp = null;
        try {
            temp = Files.createTempDirectory("mlops-profile-");
            Path files = temp.resolve("table");
            data.checkout(id, files);
            return profile(files, psiBins);
        } catch (IOException e) {
            throw new io.mlops.core.StorageException("Cannot profile dataset version '" + id + "': " + e.getMessage(), e);
        } catch (io.mlops.core.StorageException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new io.mlops.core.MlopsException("Profiling dataset version '" + id + "' was interrupted", e);
            }
            throw e;
        } finally {
            if (temp != null) {
                io.mlops.core.internal.io.TempFolders.deleteQuietly(temp);
            }
        }
    }
}
