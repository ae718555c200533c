package io.mlops.parquet.internal;

import io.mlops.core.ValidationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a Parquet source holds, as DuckDB sees it: its files (one, or every {@code .parquet} file
 * under a folder, in the order of their relative paths), its columns and their kinds, and the SQL
 * that reads them as numbers or text. Refuses, naming the column, what a dataset cannot hold.
 */
final class ParquetTables {

    /** How a Parquet column is read. */
    enum Kind {
        /** any integer, floating-point or decimal type: read as a double */
        NUMERIC,
        /** strings and booleans: read as text */
        CATEGORICAL
    }

    /** A column: its name, its DuckDB type and how it is read. */
    record Column(String name, String type, Kind kind) {
    }

    private ParquetTables() {
    }

    /**
     * @param source a file or a folder
     * @return the Parquet files, sorted by their relative paths
     * @throws ValidationException when there is no such file, or the folder holds none
     */
    static List<Path> files(Path source) throws IOException {
        if (Files.isRegularFile(source)) {
            return List.of(source);
        }
        if (!Files.isDirectory(source)) {
            throw new ValidationException("No Parquet file or folder at " + source);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet"))
                    .filter(p -> !io.mlops.core.internal.io.TableFolders.hidden(source.relativize(p)))
                    .sorted((a, b) -> source.relativize(a).toString().compareTo(source.relativize(b).toString()))
                    .toList();
        }
        if (files.isEmpty()) {
            throw new ValidationException("The folder " + source + " holds no .parquet file");
        }
        return files;
    }

    /**
     * The table function reading the files: in a folder, partition folders ({@code key=value})
     * become categorical columns (their values as text, never guessed as dates or numbers).
     */
    static String scan(List<Path> files, boolean folder) {
        StringBuilder sql = new StringBuilder("read_parquet([");
        for (int i = 0; i < files.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('\'').append(DuckDb.literal(files.get(i).toAbsolutePath().toString())).append('\'');
        }
        return sql.append("], hive_partitioning = ").append(folder)
                .append(folder ? ", hive_types_autocast = false" : "").append(", binary_as_string = false)").toString();
    }

    /**
     * @return the columns, in order
     * @throws ValidationException naming the column when one is of a type a dataset cannot hold
     */
    static List<Column> columns(Connection c, String scan, String source) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + scan)) {
            while (rs.next()) {
                String name = rs.getString(1);
                String type = rs.getString(2);
                columns.add(new Column(name, type, kind(name, type, source)));
            }
        }
        return columns;
    }

    private static Kind kind(String name, String type, String source) {
        String t = type.toUpperCase(Locale.ROOT);
        if (t.matches("(U?(TINYINT|SMALLINT|INTEGER|BIGINT)|HUGEINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\\(\\d+,\\d+\\))")) {
            return Kind.NUMERIC;
        }
        if (t.equals("VARCHAR") || t.equals("BOOLEAN") || t.startsWith("ENUM(")) {
            return Kind.CATEGORICAL;
        }
        String why = t.contains("STRUCT") || t.endsWith("[]") || t.startsWith("MAP(") || t.contains("[")
                ? "a nested column" : "of type " + type;
        throw new ValidationException("Column '" + name + "' of " + source + " is " + why + ", which a dataset cannot hold"
                + " (numbers of any width, decimals, strings and booleans only): cast or drop it before reading");
    }

    /** The number of rows of a source. */
    static long rows(Connection c, String scan) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + scan)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The SQL expression reading a column as a dataset holds it. */
    static String select(Column c) {
        String id = DuckDb.identifier(c.name());
        return c.kind() == Kind.NUMERIC ? "CAST(" + id + " AS DOUBLE)" : "CAST(" + id + " AS VARCHAR)";
    }

    /**
     * Refuses integer columns holding values a double cannot hold exactly (beyond 2^53), naming the
     * column: read as numbers they would change silently.
     */
    static void checkExactIntegers(Connection c, String scan, List<Column> columns, String source) throws SQLException {
        List<Column> wide = columns.stream().filter(col -> col.type().toUpperCase(Locale.ROOT)
                .matches("(U?BIGINT|HUGEINT|UHUGEINT)")).toList();
        if (wide.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < wide.size(); i++) {
            String id = DuckDb.identifier(wide.get(i).name());
            // BIGINT and UBIGINT fit a HUGEINT whole; the 128-bit types are compared as doubles (conservative)
            String magnitude = wide.get(i).type().toUpperCase(Locale.ROOT).endsWith("HUGEINT")
                    ? "abs(CAST(" + id + " AS DOUBLE))" : "abs(CAST(" + id + " AS HUGEINT))";
            sql.append(i == 0 ? "" : ", ").append("CAST(max(").append(magnitude).append(") AS VARCHAR)");
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql + " FROM " + scan)) {
            rs.next();
            for (int i = 0; i < wide.size(); i++) {
                String max = rs.getString(i + 1);
                if (max != null && new java.math.BigDecimal(max).compareTo(java.math.BigDecimal.valueOf(1L << 53)) > 0) {
                    throw new ValidationException("Column '" + wide.get(i).name() + "' of " + source + " holds integers up to "
                            + max + ", beyond 2^53, which a numeric column (double) cannot hold exactly: cast it to text"
                            + " or scale it before reading");
                }
            }
        }
    }
}
