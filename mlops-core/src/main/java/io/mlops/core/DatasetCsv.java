package io.mlops.core;

import io.mlops.core.internal.concurrent.SharedThreads;

import com.fasterxml.jackson.core.io.NumberOutput;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.mlops.core.internal.io.AtomicFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * CSV reading and writing of {@link Dataset}s with FastCSV; the rules are in Dataset's javadoc.
 *
 * <p>Type inference reads the file once. A column that turns out categorical after numbers were
 * already parsed in it (an id column {@code 001, 002, …, A17}) needs its earlier cells' original
 * text, which was not kept; such a file is read a second time with the types now known. This keeps
 * the common case (types evident from the first row) to one pass without holding every cell's text.
 */
final class DatasetCsv {

    private DatasetCsv() {
    }

    // ---------------------------------------------------------------- writing

    static void write(Dataset d, Path csv) {
        try {
            AtomicFiles.write(csv, out -> write(d, out));
        } catch (IOException e) {
            throw new StorageException("Cannot write CSV file " + csv + ": " + e.getMessage(), e);
        }
    }

    static void write(Dataset d, OutputStream out) throws IOException {
        List<DatasetColumn> columns = d.columns();
        if (columns.isEmpty()) {
            return;
        }
        Rows rows = new Rows(columns);
        out.write(rows.format(-1, 0));
        int n = d.rowCount();
        if (n <= 2 * BLOCK_ROWS) {
            out.write(rows.format(0, n));
            out.flush();
            return;
        }
        // Formatting numbers dominates; blocks of rows are formatted on all cores and written in order.
        Deque<Future<byte[]>> inFlight = new ArrayDeque<>();
        int next = 0;
        try {
            while (next < n || !inFlight.isEmpty()) {
                while (next < n && inFlight.size() < 2 * CsvThreads.COUNT + 1) {
                    int from = next;
                    int to = Math.min(n, from + BLOCK_ROWS);
                    inFlight.add(CsvThreads.POOL.submit(() -> rows.format(from, to)));
                    next = to;
                }
                out.write(inFlight.poll().get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing CSV");
        } catch (ExecutionException e) {
            throw new IOException("formatting CSV rows failed: " + e.getCause(), e.getCause());
        } finally {
            inFlight.forEach(f -> f.cancel(true));
        }
        out.flush();
    }

    static final int BLOCK_ROWS = 16_384;

    /**
     * Formats rows of a dataset's columns as CSV text; immutable, shared by the formatting threads.
     * Numbers never need quoting (digits, sign, '.', 'E', "Infinity"); categories are escaped by
     * FastCSV once per distinct value, so rows are plain concatenation.
     */
    private static final class Rows {
        final String[] names;
        final double[][] numbers;
        final int[][] codes;
        final String[][] escaped;

        Rows(List<DatasetColumn> columns) throws IOException {
            int n = columns.size();
            names = new String[n];
            numbers = new double[n][];
            codes = new int[n][];
            escaped = new String[n][];
            for (int j = 0; j < n; j++) {
                DatasetColumn c = columns.get(j);
                names[j] = c.name;
                if (c instanceof DatasetColumn.Numeric) {
                    numbers[j] = ((DatasetColumn.Numeric) c).values;
                } else {
                    DatasetColumn.Categorical cat = (DatasetColumn.Categorical) c;
                    codes[j] = cat.codes;
                    escaped[j] = new String[cat.dictionary.length];
                    for (int k = 0; k < cat.dictionary.length; k++) {
                        escaped[j][k] = escape(cat.dictionary[k]);
                    }
                }
            }
        }

        private static String escape(String value) throws IOException {
            if (value.isEmpty()) {
                return "";
            }
            StringBuilder sb = new StringBuilder(value.length() + 3);
            CsvWriter w = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(new StringBuilderWriter(sb));
            w.writeRecord(value);
            w.flush();
            return sb.substring(0, sb.length() - 1); // without the line delimiter
        }

        /**
         * @return rows [from, to) in UTF-8; from == -1 gives the header line
         */
        byte[] format(int from, int to) throws IOException {
            if (from < 0) {
                StringBuilder header = new StringBuilder();
                CsvWriter w = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(new StringBuilderWriter(header));
                w.writeRecord(names);
                w.flush();
                return header.toString().getBytes(StandardCharsets.UTF_8);
            }
            // straight into UTF-8 bytes: numbers are ASCII, categories are encoded once per block
            Bytes text = new Bytes((to - from) * names.length * 20);
            byte[][][] categories = new byte[names.length][][];
            for (int i = from; i < to; i++) {
                for (int j = 0; j < names.length; j++) {
                    if (j > 0) {
                        text.add((byte) ',');
                    }
                    if (numbers[j] != null) {
                        text.addAscii(formatNumber(numbers[j][i]));
                    } else {
                        int code = codes[j][i];
                        if (code >= 0) {
                            if (categories[j] == null) {
                                categories[j] = new byte[escaped[j].length][];
                            }
                            byte[] utf8 = categories[j][code];
                            if (utf8 == null) {
                                utf8 = escaped[j][code].getBytes(StandardCharsets.UTF_8);
                                categories[j][code] = utf8;
                            }
                            text.add(utf8);
                        }
                    }
                }
                text.add((byte) '\n');
            }
            return text.toArray();
        }
    }

    /** A growing byte array, without ByteArrayOutputStream's synchronisation. */
    private static final class Bytes {
        private byte[] bytes;
        private int size;

        Bytes(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        private void room(int n) {
            if (size + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
            }
        }

        void add(byte b) {
            room(1);
            bytes[size++] = b;
        }

        void add(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        /** Text of ASCII characters only (a formatted number). */
        void addAscii(String s) {
            int n = s.length();
            room(n);
            for (int k = 0; k < n; k++) {
                bytes[size + k] = (byte) s.charAt(k);
            }
            size += n;
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }

    /** A Writer into a StringBuilder without StringWriter's synchronisation. */
    private static final class StringBuilderWriter extends java.io.Writer {
        private final StringBuilder sb;

        StringBuilderWriter(StringBuilder sb) {
            this.sb = sb;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            sb.append(cbuf, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            sb.append(str, off, off + len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Daemon threads for CSV formatting, one per core (at most 8), ending when idle. */
    private static final class CsvThreads {
        static final int COUNT = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
        static final ExecutorService POOL = SharedThreads.fixed("mlops-csv", COUNT);
    }

    /** The shortest decimal that parses back to the same double (Schubfach, via Jackson). */
    static String formatNumber(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        return NumberOutput.toString(v, true);
    }

    // ---------------------------------------------------------------- reading

    /** Reads a stream whose columns are known: one pass, so the stream need not be re-readable. */
    static Dataset read(java.io.InputStream in, String source, Schema schema) {
        ColumnType[] types = new ColumnType[schema.columns().size()];
        for (int j = 0; j < types.length; j++) {
            types[j] = schema.columns().get(j).type();
        }
        Pass pass = new Pass(source, b -> b.ofCsvRecord(in, java.nio.charset.StandardCharsets.UTF_8), types, schema);
        pass.run();
        return pass.dataset;
    }

    static Dataset read(Path csv, Schema schema) {
        return read(csv, schema, null);
    }

    /** Reads a file; with a listener, through a stream that counts the bytes of each pass. */
    static Dataset read(Path csv, Schema schema, ProgressListener progress) {
        ColumnType[] forced = null;
        if (schema != null) {
            forced = new ColumnType[schema.columns().size()];
            for (int j = 0; j < forced.length; j++) {
                forced[j] = schema.columns().get(j).type();
            }
        }
        Opener open = progress == null ? b -> b.ofCsvRecord(csv) : b -> b.ofCsvRecord(new io.mlops.core.internal.io.ProgressInputStream(
                java.nio.file.Files.newInputStream(csv), java.nio.file.Files.size(csv), progress),
                java.nio.charset.StandardCharsets.UTF_8);
        Pass pass = new Pass(csv.toString(), open, forced, schema);
        pass.run();
        if (pass.secondPassNeeded) {
            Pass second = new Pass(csv.toString(), open, pass.types, null);
            second.run();
            return second.dataset;
        }
        return pass.dataset;
    }

    /**
     * Reads a file in chunks: a first pass decides each column's type over the whole file (keeping
     * no value), a second hands its rows over in datasets of at most {@code rows} rows (at least one,
     * of no rows for a header alone).
     */
    static void readChunks(Path csv, int rows, java.util.function.Consumer<Dataset> chunks, ProgressListener progress) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1 but was " + rows);
        }
        java.util.Objects.requireNonNull(chunks, "chunks");
        Opener open = b -> b.ofCsvRecord(new io.mlops.core.internal.io.ProgressInputStream(java.nio.file.Files.newInputStream(csv),
                java.nio.file.Files.size(csv), progress), java.nio.charset.StandardCharsets.UTF_8);
        Pass types = new Pass(csv.toString(), open, null, null);
        types.inferOnly = true;
        types.run();
        Pass pass = new Pass(csv.toString(), open, types.types, null);
        pass.chunkRows = rows;
        pass.chunks = chunks;
        pass.run();
    }

    /** Opens the CSV source for one pass. */
    private interface Opener {
        CsvReader<CsvRecord> open(CsvReader.CsvReaderBuilder builder) throws IOException;
    }

    private static final class Pass {
        final String csv;
        final Opener opener;
        final Schema schema;
        ColumnType[] types;      // null entries: still inferring (numeric so far)
        final boolean typesKnown;
        boolean secondPassNeeded;
        Dataset dataset;
        /** Decide the types only, keeping no value. */
        boolean inferOnly;
        /** When set, the rows go to it in datasets of at most {@link #chunkRows} rows. */
        java.util.function.Consumer<Dataset> chunks;
        int chunkRows;

        Pass(String csv, Opener opener, ColumnType[] types, Schema schema) {
            this.csv = csv;
            this.opener = opener;
            this.types = types == null ? null : types.clone();
            this.typesKnown = types != null;
            this.schema = schema;
        }

        void run() {
            CsvReader.CsvReaderBuilder builder = CsvReader.builder()
                    .skipEmptyLines(false)
                    // field counts are checked below, with the line number in the message
                    .extraFieldStrategy(de.siegmar.fastcsv.reader.FieldMismatchStrategy.IGNORE)
                    .missingFieldStrategy(de.siegmar.fastcsv.reader.FieldMismatchStrategy.IGNORE)
                    .allowUnclosedQuote(false)
                    .detectBomHeader(true);
            try (CsvReader<CsvRecord> reader = opener.open(builder)) {
                read(reader.iterator());
            } catch (NoSuchFileException e) {
                throw new StorageException("CSV file " + csv + " does not exist", e);
            } catch (IOException e) {
                throw new StorageException("Cannot read CSV file " + csv + ": " + e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw new StorageException("Cannot read CSV file " + csv + ": " + e.getCause().getMessage(), e.getCause());
            } catch (CsvParseException e) {
                for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                    if (t instanceof MlopsException) {
                        throw (MlopsException) t; // e.g. the source's integrity check: not a CSV problem
                    }
                }
                String cause = e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")";
                throw new ValidationException("Malformed CSV file " + csv + ": " + e.getMessage() + cause, e);
            }
        }

        private void read(Iterator<CsvRecord> records) {
            if (!records.hasNext()) {
                throw new ValidationException("CSV file " + csv + " is empty: expected a header line");
            }
            CsvRecord header = records.next();
            String[] names = header(header);
            int n = names.length;
            if (types == null) {
                types = new ColumnType[n];
            }
            Accumulator[] acc = new Accumulator[n];
            for (int j = 0; j < n; j++) {
                acc[j] = inferOnly ? new Check() : types[j] == ColumnType.CATEGORICAL ? new Categorical(0) : new Numeric();
            }
            int rows = 0;
            boolean emitted = false;
            while (records.hasNext()) {
                CsvRecord rec = records.next();
                int fields = rec.getFieldCount();
                if (fields != n) {
                    if (fields == 1 && rec.getField(0).isEmpty() && !records.hasNext()) {
                        break; // a blank last line
                    }
                    throw new ValidationException("Malformed CSV file " + csv + ": line " + rec.getStartingLineNumber()
                            + " has " + fields + " field(s) but the header has " + n);
                }
                for (int j = 0; j < n; j++) {
                    String cell = rec.getField(j);
                    if (!acc[j].add(cell)) {
                        // a numeric column met text
                        if (inferOnly) {
                            types[j] = ColumnType.CATEGORICAL;
                            acc[j] = Accumulator.IGNORE;
                            continue;
                        }
                        if (typesKnown) {
                            throw new ValidationException("Malformed CSV file " + csv + ": line " + rec.getStartingLineNumber()
                                    + ", column '" + names[j] + "': '" + abbreviate(cell) + "' is not a number");
                        }
                        types[j] = ColumnType.CATEGORICAL;
                        if (((Numeric) acc[j]).hasValues) {
                            secondPassNeeded = true;
                            acc[j] = Accumulator.IGNORE;
                        } else {
                            acc[j] = new Categorical(rows); // only missing values so far
                            acc[j].add(cell);
                        }
                    }
                }
                rows++;
                if (chunks != null && rows == chunkRows) {
                    chunks.accept(build(names, acc));
                    emitted = true;
                    rows = 0;
                    for (int j = 0; j < n; j++) {
                        acc[j] = types[j] == ColumnType.CATEGORICAL ? new Categorical(0) : new Numeric();
                    }
                }
            }
            if (secondPassNeeded || inferOnly) {
                return;
            }
            if (chunks != null) {
                if (rows > 0 || !emitted) {
                    chunks.accept(build(names, acc));
                }
                return;
            }
            dataset = build(names, acc);
        }

        private static Dataset build(String[] names, Accumulator[] acc) {
            Dataset.Builder b = Dataset.builder();
            for (int j = 0; j < names.length; j++) {
                b.add(acc[j].build(names[j]));
            }
            return b.build();
        }

        private String[] header(CsvRecord header) {
            int n = header.getFieldCount();
            String[] names = new String[n];
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < n; j++) {
                String name = header.getField(j);
                try {
                    Dataset.checkColumnName(name);
                } catch (IllegalArgumentException e) {
                    throw new ValidationException("Malformed CSV file " + csv + ": line " + header.getStartingLineNumber()
                            + " (header), column " + (j + 1) + ": " + e.getMessage());
                }
                if (!seen.add(name)) {
                    throw new ValidationException("Malformed CSV file " + csv + ": line " + header.getStartingLineNumber()
                            + " (header) names column '" + name + "' twice");
                }
                names[j] = name;
            }
            if (schema != null && !schema.names().equals(Arrays.asList(names))) {
                throw new ValidationException("CSV file " + csv + " has columns " + Arrays.toString(names)
                        + " but the schema expects " + schema.names());
            }
            if (types != null && types.length != n) {
                throw new ValidationException("CSV file " + csv + " changed while it was read");
            }
            return names;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private interface Accumulator {
        /**
         * @return false when a numeric accumulator met text; nothing was added then
         */
        boolean add(String cell);

        DatasetColumn build(String name);

        Accumulator IGNORE = new Accumulator() {
            @Override
            public boolean add(String cell) {
                return true;
            }

            @Override
            public DatasetColumn build(String name) {
                throw new IllegalStateException("ignored column");
            }
        };
    }

    /** Checks that a column's cells are numbers, keeping none. */
    private static final class Check implements Accumulator {
        @Override
        public boolean add(String cell) {
            return cell.isEmpty() || !Double.isNaN(NumberText.parse(cell)) || NumberText.isNaN(cell);
        }

        @Override
        public DatasetColumn build(String name) {
            throw new IllegalStateException("a type check keeps no values");
        }
    }

    private static final class Numeric implements Accumulator {
        double[] values = new double[1024];
        int size;
        boolean hasValues;

        @Override
        public boolean add(String cell) {
            double v;
            if (cell.isEmpty()) {
                v = Double.NaN;
            } else {
                v = NumberText.parse(cell);
                if (v != v && !NumberText.isNaN(cell)) { // NaN returned for text that is not a number
                    return false;
                }
                hasValues = true;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size + (size >> 1));
            }
            values[size++] = v;
            return true;
        }

        @Override
        public DatasetColumn build(String name) {
            return new DatasetColumn.Numeric(name, size == values.length ? values : Arrays.copyOf(values, size));
        }
    }

    private static final class Categorical implements Accumulator {
        int[] codes;
        int size;
        final Map<String, Integer> index = new HashMap<>();
        final List<String> dictionary = new ArrayList<>();

        Categorical(int missingRows) {
            codes = new int[Math.max(1024, missingRows + 1024)];
            Arrays.fill(codes, 0, missingRows, -1);
            size = missingRows;
        }

        @Override
        public boolean add(String cell) {
            int code;
            if (cell.isEmpty()) {
                code = -1;
            } else {
                Integer c = index.get(cell);
                if (c == null) {
                    c = dictionary.size();
                    index.put(cell, c);
                    dictionary.add(cell);
                }
                code = c;
            }
            if (size == codes.length) {
                codes = Arrays.copyOf(codes, size + (size >> 1));
            }
            codes[size++] = code;
            return true;
        }

        @Override
        public DatasetColumn build(String name) {
            return new DatasetColumn.Categorical(name, size == codes.length ? codes : Arrays.copyOf(codes, size),
                    dictionary.toArray(new String[0]));
        }
    }
}
