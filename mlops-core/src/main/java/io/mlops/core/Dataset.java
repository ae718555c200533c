package io.mlops.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable, columnar table of numeric and categorical columns.
 *
 * <pre>{@code
 * Dataset d = Dataset.builder()
 *         .numeric("feature1", new double[] {0.5, Double.NaN, 2.0})   // NaN = missing
 *         .categorical("category1", new String[] {"A", "B", null})   // null = missing
 *         .build();
 * d.writeCsv(Path.of("data.csv"));
 * Dataset back = Dataset.readCsv(Path.of("data.csv"));
 * assert back.contentHash().equals(d.contentHash());
 * }</pre>
 *
 * <p><b>Columns.</b> Numeric columns hold {@code double}s, with {@code NaN} for a missing value.
 * Categorical columns hold strings, with {@code null} for a missing value; they are dictionary
 * encoded inside, so a column of a few categories over many rows is small. A column name is 1 to
 * 256 characters, not blank, without control characters and without leading or trailing white
 * space; names are unique within a dataset.
 *
 * <p><b>CSV.</b> {@link #readCsv(Path)} reads RFC 4180 CSV in UTF-8 with a header line. A column is
 * numeric when every non-empty cell is a decimal number ({@code 12}, {@code -0.5}, {@code 1e-3},
 * optionally surrounded by spaces) or one of {@code NaN}, {@code Infinity}, {@code inf} with an
 * optional sign (any case); otherwise it is categorical. An empty cell is missing in both kinds of
 * column. {@link #writeCsv(Path)} writes numbers in the shortest text that reads back as the very
 * same {@code double}, missing values as empty cells. Two things do not survive a CSV round trip,
 * by CSV's nature: an empty string in a categorical column reads back as missing, and a categorical
 * column whose values all look like numbers reads back as numeric unless the schema is given with
 * {@link #readCsv(Path, Schema)}.
 *
 * <p><b>Identity.</b> {@link #contentHash()} is a SHA-256 over a canonical encoding of the schema and
 * values: the same data has the same hash however it was built or formatted.
 *
 * <p>Instances are immutable and thread-safe. Arrays passed in are copied; arrays handed out are
 * copies.
 *
 * @since 0.1.0
 */
public final class Dataset {

    private final List<DatasetColumn> columns;
    private final Map<String, DatasetColumn> byName;
    private final int rowCount;
    private volatile String contentHash;

    Dataset(List<DatasetColumn> columns, int rowCount) {
        this.columns = List.copyOf(columns);
        this.rowCount = rowCount;
        Map<String, DatasetColumn> map = new LinkedHashMap<>();
        for (DatasetColumn c : this.columns) {
            map.put(c.name, c);
        }
        this.byName = map;
    }

    /**
     * @return a builder for a new dataset
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a CSV file with a header line, inferring each column's type (see the class description).
     *
     * @param csv the file, in UTF-8
     * @return the dataset
     * @throws ValidationException when the file is malformed; the message names the file and line
     * @throws StorageException when the file cannot be read
     */
    public static Dataset readCsv(Path csv) {
        return DatasetCsv.read(csv, null);
    }

    /**
     * Reads a CSV file as {@link #readCsv(Path)} does, telling a listener how many of its bytes have
     * been read (for a progress bar over a large file).
     *
     * @param csv the file, in UTF-8
     * @param progress told of the progress
     * @return the dataset
     * @throws ValidationException when the file is malformed; the message names the file and line
     * @throws StorageException when the file cannot be read
     */
    public static Dataset readCsv(Path csv, ProgressListener progress) {
        return DatasetCsv.read(csv, null, Objects.requireNonNull(progress, "progress"));
    }

    /**
     * Reads a CSV file of any size in chunks, without holding it: a first pass decides each column's
     * type over the whole file as {@link #readCsv(Path)} does (keeping no value), a second hands its
     * rows to {@code chunks} in datasets of at most {@code rows} rows, in order, on the calling
     * thread. The chunks, concatenated, are the dataset {@code readCsv(csv)} gives; a file of a
     * header alone gives one chunk of no rows. The listener hears the bytes read of both passes
     * (each pass from 0 to the file's size).
     *
     * @param csv the file, in UTF-8
     * @param rows the most rows of a chunk, {@code >= 1}
     * @param chunks receives the chunks
     * @param progress told of the progress ({@link ProgressListener#NONE} for none)
     * @throws ValidationException when the file is malformed; the message names the file and line
     * @throws StorageException when the file cannot be read
     * @since 0.1.0
     */
    public static void readCsv(Path csv, int rows, java.util.function.Consumer<Dataset> chunks, ProgressListener progress) {
        DatasetCsv.readChunks(csv, rows, chunks, Objects.requireNonNull(progress, "progress"));
    }

    /**
     * Reads a CSV file whose columns must be exactly those of {@code schema}, in order.
     *
     * @param csv the file, in UTF-8
     * @param schema the expected columns; numeric columns must hold numbers or empty cells
     * @return the dataset
     * @throws ValidationException when the header differs from the schema, or a cell of a numeric
     *     column is not a number; the message names the file, line and column
     * @throws StorageException when the file cannot be read
     */
    public static Dataset readCsv(Path csv, Schema schema) {
        return DatasetCsv.read(csv, Objects.requireNonNull(schema, "schema"));
    }

    /**
     * Reads CSV from a stream whose columns must be exactly those of {@code schema}, in one pass.
     * The stream is read to its end (so a verifying stream gets to check its digest) and not closed.
     *
     * @param csv the CSV bytes, UTF-8
     * @param source names the stream in error messages (a file name, a dataset id)
     * @param schema the expected columns
     * @return the dataset
     * @throws ValidationException when the CSV is malformed or does not match the schema; the
     *     message names the source and line
     * @throws StorageException when the stream fails
     */
    public static Dataset readCsv(java.io.InputStream csv, String source, Schema schema) {
        Objects.requireNonNull(csv, "csv");
        Objects.requireNonNull(source, "source");
        return DatasetCsv.read(io.mlops.core.internal.io.Streams.nonClosing(csv), source, Objects.requireNonNull(schema, "schema"));
    }

    /**
     * Writes this dataset as CSV in UTF-8 with a header line, atomically: the file is either the
     * old one or complete.
     *
     * @param csv the file to create or replace; parent folders are created
     * @throws StorageException when the file cannot be written
     */
    public void writeCsv(Path csv) {
        DatasetCsv.write(this, Objects.requireNonNull(csv, "csv"));
    }

    /**
     * Writes this dataset as CSV in UTF-8 with a header line to a stream, which is flushed but not
     * closed.
     *
     * @param out where to write
     * @throws IOException when the stream fails
     */
    public void writeCsv(OutputStream out) throws IOException {
        DatasetCsv.write(this, Objects.requireNonNull(out, "out"));
    }

    /**
     * Reads a Parquet file, or a folder of Parquet files (searched recursively, read in the order of
     * their relative paths; {@code key=value} partition folders become categorical columns), whole into the
     * heap. Needs {@code io.mlops:mlops-parquet} on the class path. Numbers of every width (and
     * decimals) become numeric columns, with null as {@code NaN}; strings and booleans
     * ({@code "true"}/{@code "false"}) become categorical; timestamps, dates, binary and nested
     * columns are refused naming the column.
     *
     * @param file the file or folder
     * @return the dataset; the same data has the same {@link #contentHash()} as when read from CSV
     * @throws ValidationException when it is not Parquet or holds a column a dataset cannot
     * @throws MlopsException when {@code mlops-parquet} is not on the class path
     */
    public static Dataset readParquet(Path file) {
        return io.mlops.core.spi.DatasetFileFormat.require("parquet", "io.mlops:mlops-parquet").read(file);
    }

    /**
     * Writes this dataset as one Parquet file (zstd, strings dictionary-encoded, missing values as
     * nulls), atomically. Needs {@code io.mlops:mlops-parquet} on the class path.
     *
     * @param file the file, replaced if it exists
     * @throws StorageException when it cannot be written
     * @throws MlopsException when {@code mlops-parquet} is not on the class path
     */
    public void writeParquet(Path file) {
        io.mlops.core.spi.DatasetFileFormat.require("parquet", "io.mlops:mlops-parquet").write(this, file);
    }

    /**
     * @return the number of rows
     */
    public int rowCount() {
        return rowCount;
    }

    /**
     * @return the number of columns
     */
    public int columnCount() {
        return columns.size();
    }

    /**
     * @return the column names in order; unmodifiable
     */
    public List<String> columnNames() {
        return List.copyOf(byName.keySet());
    }

    /**
     * @return the columns' names and types in order
     */
    public Schema schema() {
        List<Schema.Column> cols = new ArrayList<>(columns.size());
        for (DatasetColumn c : columns) {
            cols.add(new Schema.Column(c.name, c.type()));
        }
        return new Schema(cols);
    }

    /**
     * Tells whether this dataset has the column.
     *
     * @param name a column name
     * @return {@code true} when this dataset has the column
     */
    public boolean hasColumn(String name) {
        return byName.containsKey(name);
    }

    /**
     * @param name a column name
     * @return the column's type
     * @throws IllegalArgumentException when there is no such column
     */
    public ColumnType type(String name) {
        return column(name).type();
    }

    /**
     * Returns a numeric column's values.
     *
     * @param name a numeric column's name
     * @return a copy of its values; {@code NaN} marks missing values
     * @throws IllegalArgumentException when there is no such column or it is categorical
     */
    public double[] numeric(String name) {
        return numericColumn(name).values.clone();
    }

    /**
     * Copies a numeric column's values into an array the caller owns, such as a buffer reused for
     * column after column of a large dataset (no new array per column).
     *
     * @param name a numeric column's name
     * @param target receives the values; its length must be {@link #rowCount()}
     * @throws IllegalArgumentException when there is no such column, it is categorical, or the
     *     target's length is not the row count
     */
    public void copyNumeric(String name, double[] target) {
        double[] values = numericColumn(name).values;
        if (Objects.requireNonNull(target, "target").length != values.length) {
            throw new IllegalArgumentException("the target holds " + target.length + " values, the column " + values.length);
        }
        System.arraycopy(values, 0, target, 0, values.length);
    }

    /**
     * Returns a categorical column's values.
     *
     * @param name a categorical column's name
     * @return a copy of its values; {@code null} marks missing values
     * @throws IllegalArgumentException when there is no such column or it is numeric
     */
    public String[] categorical(String name) {
        return categoricalColumn(name).decode();
    }

    /**
     * Returns a categorical column's distinct values.
     *
     * @param name a categorical column's name
     * @return the distinct non-missing values in order of first appearance; unmodifiable
     * @throws IllegalArgumentException when there is no such column or it is numeric
     */
    public List<String> categories(String name) {
        return List.of(categoricalColumn(name).dictionary);
    }

    /**
     * Counts a categorical column's values without decoding them.
     *
     * @param name a categorical column's name
     * @return each distinct non-missing value and how often it occurs, in order of first appearance
     * @throws IllegalArgumentException when there is no such column or it is numeric
     */
    public Map<String, Long> categoryCounts(String name) {
        DatasetColumn.Categorical c = categoricalColumn(name);
        long[] counts = new long[c.dictionary.length];
        for (int code : c.codes) {
            if (code >= 0) {
                counts[code]++;
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (int k = 0; k < counts.length; k++) {
            out.put(c.dictionary[k], counts[k]);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * Counts a column's missing values: NaN in a numeric column, null in a categorical one.
     *
     * @param name a column name
     * @return the number of missing values
     * @throws IllegalArgumentException when there is no such column
     */
    public long missingCount(String name) {
        DatasetColumn c = column(name);
        long missing = 0;
        if (c instanceof DatasetColumn.Numeric) {
            for (double v : ((DatasetColumn.Numeric) c).values) {
                if (Double.isNaN(v)) {
                    missing++;
                }
            }
        } else {
            for (int code : ((DatasetColumn.Categorical) c).codes) {
                if (code < 0) {
                    missing++;
                }
            }
        }
        return missing;
    }

    /**
     * Returns the SHA-256 of the canonical encoding of this dataset, computed once and cached.
     *
     * <p><b>Encoding, version 1.</b> Integers are little-endian two's complement; strings are UTF-8.
     * <ol>
     *   <li>the 16 ASCII bytes {@code mlops.dataset.v1};</li>
     *   <li>the row count (int64) and the column count (int32);</li>
     *   <li>for each column in order: its type (one byte, 1 = numeric, 2 = categorical), the byte
     *       length of its name (int32) and the name's bytes;</li>
     *   <li>for each column in order, every row's value: numeric as the 8 bytes (int64) of
     *       {@link Double#doubleToLongBits} (every NaN becomes {@code 0x7ff8000000000000}; {@code -0.0}
     *       stays distinct from {@code 0.0}); categorical as the byte length (int32) then the bytes,
     *       or the length {@code -1} and no bytes for a missing value (so {@code ""} and missing
     *       differ).</li>
     * </ol>
     * Consequences: the hash does not depend on how values were written in a file ({@code 1},
     * {@code 1.0}, {@code 1e0}) or how the dataset was built; a numeric {@code 1, 2, 3} and a
     * categorical {@code "1", "2", "3"} differ; reordering or renaming columns changes the hash,
     * since column order is part of a table's schema.
     *
     * @return 64 lower-case hex digits
     */
    public String contentHash() {
        String h = contentHash;
        if (h == null) {
            h = DatasetHasher.hash(this);
            contentHash = h;
        }
        return h;
    }

    /**
     * @return a builder holding this dataset's columns, to add, replace or remove some
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (DatasetColumn c : columns) {
            b.columns.put(c.name, c);
        }
        return b;
    }

    List<DatasetColumn> columns() {
        return columns;
    }

    private DatasetColumn column(String name) {
        Objects.requireNonNull(name, "name");
        DatasetColumn c = byName.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no column '" + name + "'; columns are " + byName.keySet());
        }
        return c;
    }

    private DatasetColumn.Numeric numericColumn(String name) {
        DatasetColumn c = column(name);
        if (!(c instanceof DatasetColumn.Numeric)) {
            throw new IllegalArgumentException("column '" + name + "' is " + c.type() + ", not NUMERIC");
        }
        return (DatasetColumn.Numeric) c;
    }

    private DatasetColumn.Categorical categoricalColumn(String name) {
        DatasetColumn c = column(name);
        if (!(c instanceof DatasetColumn.Categorical)) {
            throw new IllegalArgumentException("column '" + name + "' is " + c.type() + ", not CATEGORICAL");
        }
        return (DatasetColumn.Categorical) c;
    }

    static void checkColumnName(String name) {
        Objects.requireNonNull(name, "column name");
        if (name.isEmpty() || name.length() > 256) {
            throw new IllegalArgumentException("column name must be 1 to 256 characters but was "
                    + name.length() + " characters long");
        }
        if (name.isBlank() || Character.isWhitespace(name.charAt(0))
                || Character.isWhitespace(name.charAt(name.length() - 1))) {
            throw new IllegalArgumentException("column name '" + name
                    + "' must not be blank nor start or end with white space");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new IllegalArgumentException("column name '" + name.replaceAll("\\p{Cntrl}", "?")
                        + "' must not contain control characters");
            }
        }
    }

    /**
     * Two datasets are equal when they have the same columns (names, types, order) and the same
     * values, where all NaNs are equal and {@code -0.0} differs from {@code 0.0}, exactly when their
     * {@link #contentHash()} is equal.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Dataset)) {
            return false;
        }
        Dataset other = (Dataset) o;
        if (rowCount != other.rowCount || columns.size() != other.columns.size()) {
            return false;
        }
        for (int i = 0; i < columns.size(); i++) {
            DatasetColumn a = columns.get(i);
            DatasetColumn b = other.columns.get(i);
            if (!a.name.equals(b.name) || !a.sameValues(b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return contentHash().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Dataset[").append(rowCount).append(" rows x ")
                .append(columns.size()).append(" columns");
        String sep = ": ";
        for (DatasetColumn c : columns) {
            sb.append(sep).append(c.name).append(" (").append(c.type().name().toLowerCase(java.util.Locale.ROOT)).append(')');
            sep = ", ";
        }
        return sb.append(']').toString();
    }

    /**
     * Builds a {@link Dataset}. Columns keep the order in which they were added. Not thread-safe.
     */
    public static final class Builder {

        private final LinkedHashMap<String, DatasetColumn> columns = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds a numeric column.
         *
         * @param name the column's name, unique in the dataset
         * @param values the values, copied; {@code NaN} marks missing values
         * @return this builder
         * @throws IllegalArgumentException when the name is invalid or already used
         */
        public Builder numeric(String name, double[] values) {
            Objects.requireNonNull(values, "values");
            add(new DatasetColumn.Numeric(name, values.clone()));
            return this;
        }

        /**
         * Adds a categorical column.
         *
         * @param name the column's name, unique in the dataset
         * @param values the values, copied; {@code null} marks missing values
         * @return this builder
         * @throws IllegalArgumentException when the name is invalid or already used
         */
        public Builder categorical(String name, String[] values) {
            Objects.requireNonNull(values, "values");
            checkNew(name);
            add(DatasetColumn.Categorical.encode(name, values));
            return this;
        }

        /**
         * Removes a column.
         *
         * @param name the column's name
         * @return this builder
         * @throws IllegalArgumentException when there is no such column
         */
        public Builder remove(String name) {
            if (columns.remove(Objects.requireNonNull(name, "name")) == null) {
                throw new IllegalArgumentException("no column '" + name + "' to remove; columns are " + columns.keySet());
            }
            return this;
        }

        private void checkNew(String name) {
            checkColumnName(name);
            if (columns.containsKey(name)) {
                throw new IllegalArgumentException("duplicate column name '" + name
                        + "' (remove the existing column first to replace it)");
            }
        }

        Builder add(DatasetColumn column) {
            checkNew(column.name);
            columns.put(column.name, column);
            return this;
        }

        /**
         * Builds the dataset.
         *
         * @return the dataset; a builder without columns gives an empty dataset of 0 rows
         * @throws ValidationException when the columns have different lengths (the message lists them)
         */
        public Dataset build() {
            int rows = -1;
            for (DatasetColumn c : columns.values()) {
                if (rows < 0) {
                    rows = c.size();
                } else if (c.size() != rows) {
                    Map<String, Integer> lengths = new LinkedHashMap<>();
                    columns.values().forEach(x -> lengths.put(x.name, x.size()));
                    throw new ValidationException("All columns must have the same length, but the lengths are " + lengths);
                }
            }
            return new Dataset(new ArrayList<>(columns.values()), Math.max(rows, 0));
        }
    }
}
