package io.mlops.core.spi;

import io.mlops.core.Dataset;
import io.mlops.core.MlopsException;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A file format a {@link Dataset} is read from and written to besides CSV, found on the class path
 * through {@link ServiceLoader} so that core stays free of heavy dependencies: adding the module
 * that provides it (for Parquet, {@code io.mlops:mlops-parquet}) makes {@link Dataset#readParquet}
 * and {@link Dataset#writeParquet} work. Implementations must be thread-safe and have a public
 * no-argument constructor.
 *
 * @since 0.1.0
 */
public interface DatasetFileFormat {

    /**
     * @return the format's name in lower case, such as {@code parquet}
     */
    String name();

    /**
     * Reads a dataset whole into the heap.
     *
     * @param file a file, or a folder of such files read as one table
     * @return the dataset
     * @throws io.mlops.core.ValidationException when the file is not of this format, or holds what a
     *         dataset cannot (naming the file and the column)
     * @throws io.mlops.core.StorageException when it cannot be read
     */
    Dataset read(Path file);

    /**
     * Writes a dataset to a file atomically: the file appears whole or not at all.
     *
     * @param data the dataset
     * @param file the file to write, replaced if it exists
     * @throws io.mlops.core.StorageException when it cannot be written
     */
    void write(Dataset data, Path file);

    /**
     * What one file holds, read from its metadata where the format keeps it (a Parquet footer),
     * without reading the data.
     *
     * @param schema its columns, as {@link #read} would give them
     * @param rows its number of rows
     */
    record Summary(io.mlops.core.Schema schema, long rows) {
    }

    /**
     * Summarizes one file of this format.
     *
     * @param file the file
     * @return its columns and rows
     * @throws io.mlops.core.ValidationException when it is not of this format or holds a column a dataset cannot
     */
    Summary summarize(Path file);

    /**
     * Finds a format on the class path.
     *
     * @param name the format's name, any case
     * @return the format, or empty when no module on the class path provides it
     */
    static Optional<DatasetFileFormat> find(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (DatasetFileFormat f : ServiceLoader.load(DatasetFileFormat.class, DatasetFileFormat.class.getClassLoader())) {
            if (f.name().equals(wanted)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * Finds a format on the class path, or says which dependency provides it.
     *
     * @param name the format's name
     * @param artifact the Maven artifact that provides it, for the message
     * @return the format
     * @throws MlopsException when no module on the class path provides it
     */
    static DatasetFileFormat require(String name, String artifact) {
        return find(name).orElseThrow(() -> new MlopsException("Reading and writing " + name + " needs " + artifact
                + " on the class path (it keeps mlops-core light); add that dependency"));
    }
}
