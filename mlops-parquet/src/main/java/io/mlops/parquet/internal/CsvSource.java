package io.mlops.parquet.internal;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.core.MlopsException;
import io.mlops.core.StorageException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CSV file as the engine's table {@code src}, for a profile: read by the library's own CSV reader
 * ({@link Dataset#readCsv(Path, int, java.util.function.Consumer, io.mlops.core.ProgressListener)}:
 * the same types and values as {@code Dataset.readCsv}) in chunks of {@value #ROWS} rows, each
 * appended to a table in the engine's database file, which spills to disk beyond its memory cap —
 * the file is never held whole. Not thread-safe; one per engine.
 */
final class CsvSource {

    static final int ROWS = 16_384;

    private CsvSource() {
    }

    /** Whether a source is a CSV file (by its name) rather than Parquet. */
    static boolean isCsv(Path source) {
        return Files.isRegularFile(source) && source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    /**
     * Loads the file into the table {@code src}.
     *
     * @return its columns
     */
    static List<ParquetTables.Column> load(DuckDb db, Path csv) {
        List<ParquetTables.Column> columns = new ArrayList<>();
        Dataset.readCsv(csv, ROWS, chunk -> {
            if (Thread.currentThread().isInterrupted()) {
                throw new MlopsException("Loading " + csv + " was interrupted");
            }
            try {
                if (columns.isEmpty()) {
                    DuckParquet.create(db, "src", chunk);
                    for (String name : chunk.columnNames()) {
                        boolean numeric = chunk.type(name) == ColumnType.NUMERIC;
                        columns.add(new ParquetTables.Column(name, numeric ? "DOUBLE" : "VARCHAR",
                                numeric ? ParquetTables.Kind.NUMERIC : ParquetTables.Kind.CATEGORICAL));
                    }
                }
                DuckParquet.append(db, "src", chunk);
            } catch (SQLException e) {
                throw new StorageException("Cannot load " + csv + " for profiling: " + db.describe(e), e);
            }
        }, io.mlops.core.ProgressListener.NONE);
        return columns;
    }
}
