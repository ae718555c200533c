package io.mlops.data.spi;

import io.mlops.core.Dataset;
import io.mlops.core.Schema;
import io.mlops.data.internal.CsvDatasetFormat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * How a {@link Dataset} is rendered to stored bytes and read back; the schema is kept beside the
 * bytes, so a format need not carry it. The default is CSV, which any tool reads; a binary columnar
 * format can be added without touching versioning. Implementations must be thread-safe and
 * stateless.
 *
 * @since 0.1.0
 */
public interface DatasetFormat {

    /**
     * @return the format's name, stored with each version ({@code csv})
     */
    String name();

    /**
     * Writes a dataset.
     *
     * @param data the dataset
     * @param out where to write; not closed
     * @throws IOException when writing fails
     */
    void write(Dataset data, OutputStream out) throws IOException;

    /**
     * Reads a dataset back, reading the stream to its end.
     *
     * @param in the stored bytes; not closed
     * @param source names the bytes in error messages
     * @param schema the dataset's columns
     * @return the dataset, equal to the one written
     * @throws IOException when reading fails
     */
    Dataset read(InputStream in, String source, Schema schema) throws IOException;

    /**
     * @return the CSV format (UTF-8, header line, shortest round-trip doubles, empty = missing)
     */
    static DatasetFormat csv() {
        return CsvDatasetFormat.INSTANCE;
    }

    /**
     * The Parquet format (zstd; strings dictionary-encoded), provided by {@code io.mlops:mlops-parquet}
     * when it is on the class path; {@code io.mlops.parquet.Parquet.format(...)} chooses the codec.
     *
     * @return the Parquet format
     * @throws io.mlops.core.MlopsException when {@code mlops-parquet} is not on the class path
     */
    static DatasetFormat parquet() {
        return named("parquet").orElseThrow(() -> new io.mlops.core.MlopsException("DatasetFormat.parquet() needs"
                + " io.mlops:mlops-parquet on the class path (it keeps mlops-data light); add that dependency"));
    }

    /**
     * Finds a format by the name stored with versions: CSV, or one a module on the class path
     * provides through {@link java.util.ServiceLoader}.
     *
     * @param name the format's name
     * @return the format, or empty when none of that name is available
     */
    static java.util.Optional<DatasetFormat> named(String name) {
        if (name.equals(csv().name())) {
            return java.util.Optional.of(csv());
        }
        for (DatasetFormat f : java.util.ServiceLoader.load(DatasetFormat.class, DatasetFormat.class.getClassLoader())) {
            if (f.name().equals(name)) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }
}
