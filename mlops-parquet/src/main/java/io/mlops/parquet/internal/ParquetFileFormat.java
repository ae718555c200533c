package io.mlops.parquet.internal;

import io.mlops.core.Dataset;
import io.mlops.core.spi.DatasetFileFormat;
import io.mlops.parquet.Compression;

import java.nio.file.Path;

/** Parquet for {@link Dataset#readParquet} and {@link Dataset#writeParquet}: found by {@link java.util.ServiceLoader}. */
public final class ParquetFileFormat implements DatasetFileFormat {

    /** For {@link java.util.ServiceLoader}. */
    public ParquetFileFormat() {
    }

    @Override
    public String name() {
        return "parquet";
    }

    @Override
    public Dataset read(Path file) {
        return DuckParquet.read(file);
    }

    @Override
    public Summary summarize(Path file) {
        return DuckParquet.summarize(file);
    }

    @Override
    public void write(Dataset data, Path file) {
        DuckParquet.write(data, file, Compression.ZSTD);
    }
}
