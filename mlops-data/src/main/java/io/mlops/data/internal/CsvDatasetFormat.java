package io.mlops.data.internal;

import io.mlops.core.Dataset;
import io.mlops.core.Schema;
import io.mlops.data.spi.DatasetFormat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Datasets as CSV, through the core reader and writer. */
public final class CsvDatasetFormat implements DatasetFormat {

    /** The one instance. */
    public static final CsvDatasetFormat INSTANCE = new CsvDatasetFormat();

    private CsvDatasetFormat() {
    }

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public void write(Dataset data, OutputStream out) throws IOException {
        data.writeCsv(out);
    }

    @Override
    public Dataset read(InputStream in, String source, Schema schema) {
        return Dataset.readCsv(in, source, schema);
    }

    @Override
    public String toString() {
        return "DatasetFormat.csv()";
    }
}
