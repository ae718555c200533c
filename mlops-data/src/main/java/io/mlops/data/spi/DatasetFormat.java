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
}
