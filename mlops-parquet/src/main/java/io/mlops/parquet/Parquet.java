package io.mlops.parquet;

import io.mlops.core.Dataset;
import io.mlops.data.spi.DatasetFormat;
import io.mlops.parquet.internal.DuckParquet;
import io.mlops.parquet.internal.ParquetDatasetFormat;

import java.nio.file.Path;

/**
 * Parquet for datasets and data versioning. With this module on the class path,
 * {@link Dataset#readParquet(Path)}, {@link Dataset#writeParquet(Path)} and
 * {@link DatasetFormat#parquet()} work; this class adds the choice of compression.
 *
 * <pre>{@code
 * Dataset d = Dataset.readParquet(Path.of("train.parquet"));     // or a folder of part files
 * Parquet.write(d, Path.of("copy.parquet"), Compression.SNAPPY);
 * DataVersioning data = DataVersioning.builder().fileSystem(dir).format(Parquet.format(Compression.ZSTD)).build();
 * }</pre>
 *
 * <p><b>Types.</b> Every integer width, floats, doubles and decimals read as numeric columns (nulls
 * as {@code NaN}; integers beyond 2^53, which a double cannot hold exactly, are refused naming the
 * column); strings (dictionary-encoded or not) and booleans ({@code "true"}/{@code "false"}) as
 * categorical; timestamps, dates, binary and nested columns are refused naming the column. A
 * dataset is written with numeric columns as {@code DOUBLE}, categorical as {@code VARCHAR}
 * (dictionary-encoded by the writer), missing values as nulls. The same data read from Parquet
 * and from CSV has the same {@link Dataset#contentHash()}, hence the same version id.
 *
 * <p>Reading and writing run in an embedded DuckDB (no Hadoop; no extension is fetched from the
 * network), which spills to a temporary folder of its own and caps its memory at
 * {@code -Dmlops.duckdb.memoryLimit} (default {@code 1GB}). Thread-safe.
 *
 * @since 0.1.0
 */
public final class Parquet {

    private Parquet() {
    }

    /**
     * Reads a Parquet file or folder whole into the heap, as {@link Dataset#readParquet(Path)}.
     *
     * @param source a file, or a folder of {@code .parquet} files ({@code key=value} folders become
     *        categorical columns; files and folders starting with {@code _} or {@code .} are skipped)
     * @return the dataset
     * @throws io.mlops.core.ValidationException when it is not Parquet or holds a column a dataset cannot
     */
    public static Dataset read(Path source) {
        return DuckParquet.read(source);
    }

    /**
     * Writes a dataset as one Parquet file, atomically.
     *
     * @param data the dataset
     * @param file the file, replaced if it exists
     * @param compression the page compression
     * @throws io.mlops.core.StorageException when it cannot be written
     */
    public static void write(Dataset data, Path file, Compression compression) {
        DuckParquet.write(data, file, compression);
    }

    /**
     * @param compression the page compression of the versions it writes
     * @return Parquet as the stored form of new dataset versions
     */
    public static DatasetFormat format(Compression compression) {
        return new ParquetDatasetFormat(compression);
    }
}
