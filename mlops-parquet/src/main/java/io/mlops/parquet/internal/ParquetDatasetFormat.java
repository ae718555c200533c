package io.mlops.parquet.internal;

import io.mlops.core.Dataset;
import io.mlops.core.Schema;
import io.mlops.data.spi.DatasetFormat;
import io.mlops.parquet.Compression;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Parquet as the stored form of dataset versions. DuckDB reads and writes files, so the bytes pass
 * through a temporary file, removed afterwards. A stored file is read back only if it holds the
 * columns of the version's schema, in order and of the same kinds. Thread-safe and stateless.
 */
public final class ParquetDatasetFormat implements DatasetFormat {

    private final Compression compression;

    /** Zstandard; for {@link java.util.ServiceLoader}. */
    public ParquetDatasetFormat() {
        this(Compression.ZSTD);
    }

    /**
     * @param compression the page compression of what it writes
     */
    public ParquetDatasetFormat(Compression compression) {
        this.compression = Objects.requireNonNull(compression, "compression");
    }

    @Override
    public String name() {
        return "parquet";
    }

    @Override
    public void write(Dataset data, OutputStream out) throws IOException {
        Path dir = Files.createTempDirectory("mlops-parquet-");
        try {
            Path file = dir.resolve("data.parquet");
            DuckParquet.write(data, file, compression);
            Files.copy(file, out);
        } finally {
            DuckDb.deleteQuietly(dir);
        }
    }

    @Override
    public Dataset read(InputStream in, String source, Schema schema) throws IOException {
        Path dir = Files.createTempDirectory("mlops-parquet-");
        try {
            Path file = dir.resolve("data.parquet");
            Files.copy(in, file);
            Dataset d;
            try {
                d = DuckParquet.read(file);
            } catch (io.mlops.core.ValidationException e) {
                throw new IOException("Corrupt " + source + ": " + e.getMessage().replace(file.toString(), "its Parquet file"), e);
            }
            if (!d.schema().equals(schema)) {
                throw new IOException("Corrupt " + source + ": its Parquet file holds " + d.schema() + ", its schema says " + schema);
            }
            return d;
        } finally {
            DuckDb.deleteQuietly(dir);
        }
    }

    @Override
    public String toString() {
        return "parquet (" + compression.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
