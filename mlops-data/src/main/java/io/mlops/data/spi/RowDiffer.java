package io.mlops.data.spi;

import io.mlops.data.RowDiff;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The engine behind {@code DataVersioning.compareRows}: joins two tables on their keys, streamed
 * and spilling to disk, so the comparison is exact at any size. Provided by
 * {@code io.mlops:mlops-parquet} (DuckDB) and found through {@link ServiceLoader}. Implementations
 * must be thread-safe and have a public no-argument constructor.
 *
 * @since 0.1.0
 */
public interface RowDiffer {

    /**
     * One side of a comparison.
     *
     * @param id the version's id, for the report
     * @param parquet a Parquet file, or a folder of them ({@code key=value} folders become columns)
     */
    record Side(String id, Path parquet) {
    }

    /**
     * Compares two tables row by row.
     *
     * @param before the first
     * @param after the second
     * @param keys the key columns, present in both with no missing value
     * @param examples how many examples of each kind to keep
     * @return the comparison
     * @throws io.mlops.core.ValidationException when a key column is absent, of another kind on
     *         each side, or has missing values, naming it
     */
    RowDiff diff(Side before, Side after, List<String> keys, int examples);

    /**
     * Compares two tables row by row, telling a listener how far it has come.
     *
     * @param before the first
     * @param after the second
     * @param keys the key columns
     * @param examples how many examples of each kind to keep
     * @param progress hears the steps done of all the steps, ending with {@code done == total}
     * @return the comparison
     */
    default RowDiff diff(Side before, Side after, List<String> keys, int examples, io.mlops.core.ProgressListener progress) {
        RowDiff d = diff(before, after, keys, examples);
        progress.progress(1, 1);
        return d;
    }

    /**
     * @return the engine on the class path, if any
     */
    static Optional<RowDiffer> find() {
        return ServiceLoader.load(RowDiffer.class, RowDiffer.class.getClassLoader()).findFirst();
    }
}
