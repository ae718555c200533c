package io.mlops.parquet.internal;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.core.MlopsException;
import io.mlops.core.StorageException;
import io.mlops.core.ValidationException;
import io.mlops.core.internal.io.AtomicFiles;
import io.mlops.parquet.Compression;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads Parquet into a {@link Dataset} and writes one out, through an embedded DuckDB. Thread-safe:
 * every call has an engine of its own.
 */
public final class DuckParquet {

    /** Rows per row group of the files written here (DuckDB's default, 122,880). */
    static final long ROW_GROUP = 122_880;

    private DuckParquet() {
    }

    /**
     * @param source a Parquet file, or a folder of them
     * @return the dataset
     */
    public static Dataset read(Path source) {
        Objects.requireNonNull(source, "source");
        try (DuckDb db = DuckDb.open()) {
            List<Path> files = ParquetTables.files(source);
            String scan = ParquetTables.scan(files, Files.isDirectory(source));
            String name = source.toString();
            List<ParquetTables.Column> columns;
            long rows;
            try {
                columns = ParquetTables.columns(db.connection(), scan, name);
                ParquetTables.checkExactIntegers(db.connection(), scan, columns, name);
                rows = ParquetTables.rows(db.connection(), scan);
            } catch (SQLException e) {
                throw unreadable(source, e);
            }
            if (rows > Integer.MAX_VALUE - 8) {
                throw new ValidationException(source + " holds " + rows + " rows, more than a dataset in the heap can ("
                        + (Integer.MAX_VALUE - 8) + "): commit it as files, or profile it as a source");
            }
            return readRows(db, scan, columns, (int) rows, source);
        } catch (IOException e) {
            throw new StorageException("Cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file one Parquet file
     * @return its columns (as {@link #read} gives them) and rows, from its footer
     */
    public static io.mlops.core.spi.DatasetFileFormat.Summary summarize(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new ValidationException("No Parquet file at " + file);
        }
        try (DuckDb db = DuckDb.open()) {
            String scan = ParquetTables.scan(List.of(file), false);
            try {
                List<ParquetTables.Column> columns = ParquetTables.columns(db.connection(), scan, file.toString());
                long rows = ParquetTables.rows(db.connection(), scan);
                List<io.mlops.core.Schema.Column> schema = columns.stream().map(c -> new io.mlops.core.Schema.Column(c.name(),
                        c.kind() == ParquetTables.Kind.NUMERIC ? ColumnType.NUMERIC : ColumnType.CATEGORICAL)).toList();
                return new io.mlops.core.spi.DatasetFileFormat.Summary(new io.mlops.core.Schema(schema), rows);
            } catch (SQLException e) {
                throw unreadable(file, e);
            }
        }
    }

    private static Dataset readRows(DuckDb db, String scan, List<ParquetTables.Column> columns, int rows, Path source) {
        int n = columns.size();
        double[][] numbers = new double[n][];
        String[][] texts = new String[n][];
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int j = 0; j < n; j++) {
            ParquetTables.Column c = columns.get(j);
            sql.append(j == 0 ? "" : ", ").append(ParquetTables.select(c));
            if (c.kind() == ParquetTables.Kind.NUMERIC) {
                numbers[j] = new double[rows];
            } else {
                texts[j] = new String[rows];
            }
        }
        int i = 0;
        try (Statement s = db.statement("reading " + source); ResultSet rs = s.executeQuery(sql + " FROM " + scan)) {
            while (rs.next()) {
                if (i == rows) {
                    throw new StorageException(source + " changed while it was read (more rows than counted)");
                }
                for (int j = 0; j < n; j++) {
                    if (numbers[j] != null) {
                        double v = rs.getDouble(j + 1);
                        numbers[j][i] = rs.wasNull() ? Double.NaN : v;
                    } else {
                        texts[j][i] = rs.getString(j + 1);
                    }
                }
                if ((i & 0xfff) == 0 && Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new MlopsException("Reading " + source + " was interrupted");
                }
                i++;
            }
        } catch (SQLException e) {
            if (db.interrupted()) {
                throw new MlopsException("Reading " + source + " was interrupted", e);
            }
            throw unreadable(source, e);
        }
        if (i != rows) {
            throw new StorageException(source + " changed while it was read (" + i + " rows of " + rows + ")");
        }
        Dataset.Builder b = Dataset.builder();
        for (int j = 0; j < n; j++) {
            String name = columns.get(j).name();
            try {
                if (numbers[j] != null) {
                    b.numeric(name, numbers[j]);
                } else {
                    b.categorical(name, texts[j]);
                }
            } catch (IllegalArgumentException | ValidationException e) {
                throw new ValidationException("Column '" + name + "' of " + source + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    /**
     * Writes a dataset as one Parquet file, atomically (a temporary file beside it, fsynced, renamed).
     *
     * @param data the dataset
     * @param target the file
     * @param compression the page compression
     */
    public static void write(Dataset data, Path target, Compression compression) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(compression, "compression");
        Path absolute = target.toAbsolutePath();
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + ".writing-" + Long.toUnsignedString(System.nanoTime(), 36));
        try (DuckDb db = DuckDb.open()) {
            AtomicFiles.createDirectories(absolute.getParent());
            fill(db, data);
            try (Statement s = db.connection().createStatement()) {
                s.execute("COPY t TO '" + DuckDb.literal(temp.toString()) + "' (FORMAT parquet, COMPRESSION "
                        + compression.name().toLowerCase(Locale.ROOT) + ", ROW_GROUP_SIZE " + ROW_GROUP + ")");
            }
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            AtomicFiles.moveAtomically(temp, absolute);
        } catch (IOException | SQLException e) {
            throw new StorageException("Cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // left for the next writer of the folder to find
            }
        }
    }

    /** Loads a dataset into the table {@code t}: numeric columns as DOUBLE (NaN as null), categorical as VARCHAR. */
    static void fill(DuckDb db, Dataset data) throws SQLException {
        create(db, "t", data);
        append(db, "t", data);
    }

    /** Creates a table of a dataset's columns: numeric as DOUBLE, categorical as VARCHAR. */
    static void create(DuckDb db, String table, Dataset data) throws SQLException {
        List<String> names = data.columnNames();
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (");
        for (int j = 0; j < names.size(); j++) {
            ddl.append(j == 0 ? "" : ", ").append(DuckDb.identifier(names.get(j)))
                    .append(data.type(names.get(j)) == ColumnType.NUMERIC ? " DOUBLE" : " VARCHAR");
        }
        if (names.isEmpty()) {
            throw new ValidationException("A dataset without columns cannot be written as Parquet");
        }
        try (Statement s = db.connection().createStatement()) {
            s.execute(ddl.append(')').toString());
        }
    }

    /** Appends a dataset's rows to a table {@link #create} made for its columns (NaN as null). */
    static void append(DuckDb db, String table, Dataset data) throws SQLException {
        List<String> names = data.columnNames();
        int n = names.size();
        double[][] numbers = new double[n][];
        String[][] texts = new String[n][];
        for (int j = 0; j < n; j++) {
            if (data.type(names.get(j)) == ColumnType.NUMERIC) {
                numbers[j] = data.numeric(names.get(j));
            } else {
                texts[j] = data.categorical(names.get(j));
            }
        }
        DuckDBConnection duck = db.connection().unwrap(DuckDBConnection.class);
        try (DuckDBAppender a = duck.createAppender("main", table)) {
            for (int i = 0; i < data.rowCount(); i++) {
                a.beginRow();
                for (int j = 0; j < n; j++) {
                    if (numbers[j] != null) {
                        double v = numbers[j][i];
                        if (Double.isNaN(v)) {
                            a.appendNull();
                        } else {
                            a.append(v);
                        }
                    } else if (texts[j][i] == null) {
                        a.appendNull();
                    } else {
                        a.append(texts[j][i]);
                    }
                }
                a.endRow();
            }
        }
    }

    private static MlopsException unreadable(Path source, SQLException e) {
        if (e.getCause() instanceof ValidationException v) {
            return v;
        }
        return new ValidationException("Cannot read " + source + " as Parquet: " + DuckDb.oneLine(e), e);
    }
}
