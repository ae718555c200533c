package io.mlops.spark.internal;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.spark.sql.Row;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What one partition, or a merge of several, knows of each profiled column: its missing count and,
 * for a numeric column, the count, mean and sum of squared deviations of its finite values
 * (Welford's update; Chan's formula to merge) and their KLL quantile sketch (k = {@value #K}); for a
 * categorical column its exact category counts. Travels between executors and the driver as the
 * bytes of {@link #encode} (a format of this class's own: no Java serialization of the data).
 * Not thread-safe; one per partition.
 */
final class ColumnSummaries {

    /** The sketches' size parameter, as the single-machine sketched profile's: rank error 0.071% (99%). */
    static final int K = 4096;
    /** The largest integer a double holds exactly. */
    private static final long EXACT = 1L << 53;
    private static final int MAGIC = 0x6d6c5331; // "mlS1"

    final boolean[] numeric;
    final String[] names;
    long rows;
    final long[] missing;
    final long[] count;
    final double[] mean;
    final double[] squares;
    final KllDoublesSketch[] sketches;
    final Map<String, Long>[] categories;
    /** Why the data cannot be profiled (found by a task, reported by the driver), or null. */
    String refusal;

    @SuppressWarnings("unchecked")
    ColumnSummaries(String[] names, boolean[] numeric) {
        this.names = names;
        this.numeric = numeric;
        int n = names.length;
        missing = new long[n];
        count = new long[n];
        mean = new double[n];
        squares = new double[n];
        sketches = new KllDoublesSketch[n];
        categories = new Map[n];
        for (int j = 0; j < n; j++) {
            if (numeric[j]) {
                sketches[j] = KllDoublesSketch.newHeapInstance(K);
            } else {
                categories[j] = new HashMap<>();
            }
        }
    }

    /** Adds a row whose fields are the columns, in order. */
    void add(Row row) {
        if (refusal != null) {
            return; // the profile is refused; the rest of the partition need not be read
        }
        rows++;
        for (int j = 0; j < names.length; j++) {
            Object v = row.get(j);
            if (v == null) {
                missing[j]++;
            } else if (numeric[j]) {
                addNumber(j, v);
            } else {
                categories[j].merge(String.valueOf(v), 1L, Long::sum);
            }
        }
    }

    private void addNumber(int j, Object v) {
        double d;
        if (v instanceof Long l) {
            if (l > EXACT || l < -EXACT) {
                refusal = "Column '" + names[j] + "' holds " + l + ", beyond 2^53: a double cannot hold it exactly (leave the"
                        + " column out, e.g. an id, or cast it)";
                return;
            }
            d = l;
        } else {
            d = ((Number) v).doubleValue();
        }
        if (!Double.isFinite(d)) {
            missing[j]++;
            return;
        }
        sketches[j].update(d);
        double delta = d - mean[j];
        mean[j] += delta / ++count[j];
        squares[j] += delta * (d - mean[j]);
    }

    /** Merges another summary of the same columns into this one. */
    void merge(ColumnSummaries other) {
        if (!java.util.Arrays.equals(names, other.names) || !java.util.Arrays.equals(numeric, other.numeric)) {
            throw new IllegalArgumentException("summaries of different columns: " + java.util.Arrays.toString(names) + " and "
                    + java.util.Arrays.toString(other.names));
        }
        if (refusal == null) {
            refusal = other.refusal;
        }
        rows += other.rows;
        for (int j = 0; j < names.length; j++) {
            missing[j] += other.missing[j];
            if (numeric[j]) {
                long n = count[j] + other.count[j];
                if (other.count[j] > 0) {
                    double delta = other.mean[j] - mean[j];
                    mean[j] += delta * other.count[j] / n;
                    squares[j] += other.squares[j] + delta * delta * ((double) count[j] * other.count[j] / n);
                    count[j] = n;
                    sketches[j].merge(other.sketches[j]);
                }
            } else {
                Map<String, Long> mine = categories[j];
                other.categories[j].forEach((k, c) -> mine.merge(k, c, Long::sum));
            }
        }
    }

    /** The bytes of this summary, read back by {@link #decode}. */
    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(names.length);
            out.writeLong(rows);
            out.writeBoolean(refusal != null);
            if (refusal != null) {
                writeText(out, refusal);
            }
            for (int j = 0; j < names.length; j++) {
                writeText(out, names[j]);
                out.writeBoolean(numeric[j]);
                out.writeLong(missing[j]);
                if (numeric[j]) {
                    out.writeLong(count[j]);
                    out.writeDouble(mean[j]);
                    out.writeDouble(squares[j]);
                    byte[] sketch = sketches[j].toByteArray();
                    out.writeInt(sketch.length);
                    out.write(sketch);
                } else {
                    out.writeInt(categories[j].size());
                    for (Map.Entry<String, Long> e : categories[j].entrySet()) {
                        writeText(out, e.getKey());
                        out.writeLong(e.getValue());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** Reads the bytes of {@link #encode}. */
    static ColumnSummaries decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a column summary");
            }
            int n = in.readInt();
            if (n < 0 || n > bytes.length) {
                throw new IllegalArgumentException("a column summary of " + n + " columns");
            }
            long rows = in.readLong();
            String refusal = in.readBoolean() ? readText(in, bytes.length) : null;
            String[] names = new String[n];
            boolean[] numeric = new boolean[n];
            long[] missing = new long[n];
            long[] count = new long[n];
            double[] mean = new double[n];
            double[] squares = new double[n];
            KllDoublesSketch[] sketches = new KllDoublesSketch[n];
            java.util.List<Map<String, Long>> categories = new java.util.ArrayList<>();
            for (int j = 0; j < n; j++) {
                names[j] = readText(in, bytes.length);
                numeric[j] = in.readBoolean();
                missing[j] = in.readLong();
                if (numeric[j]) {
                    count[j] = in.readLong();
                    mean[j] = in.readDouble();
                    squares[j] = in.readDouble();
                    byte[] sketch = new byte[length(in.readInt(), bytes.length)];
                    in.readFully(sketch);
                    sketches[j] = KllDoublesSketch.heapify(Memory.wrap(sketch));
                } else {
                    int entries = length(in.readInt(), bytes.length);
                    Map<String, Long> m = new HashMap<>(Math.max(16, entries * 2));
                    for (int i = 0; i < entries; i++) {
                        m.put(readText(in, bytes.length), in.readLong());
                    }
                    categories.add(m);
                }
                if (numeric[j]) {
                    categories.add(null);
                }
            }
            ColumnSummaries s = new ColumnSummaries(names, numeric);
            s.rows = rows;
            s.refusal = refusal;
            for (int j = 0; j < n; j++) {
                s.missing[j] = missing[j];
                s.count[j] = count[j];
                s.mean[j] = mean[j];
                s.squares[j] = squares[j];
                s.sketches[j] = sketches[j];
                s.categories[j] = categories.get(j);
            }
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException("a truncated column summary", e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            // a damaged sketch: DataSketches' own checks
            throw new IllegalArgumentException("a damaged column summary: " + e.getMessage(), e);
        }
    }

    /** Merges two encoded summaries (the reduction of a Spark job). */
    static byte[] merge(byte[] a, byte[] b) {
        ColumnSummaries s = decode(a);
        s.merge(decode(b));
        return s.encode();
    }

    private static int length(int n, int limit) {
        if (n < 0 || n > limit) {
            throw new IllegalArgumentException("a length of " + n + " in a column summary of " + limit + " bytes");
        }
        return n;
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readText(DataInputStream in, int limit) throws IOException {
        byte[] b = new byte[length(in.readInt(), limit)];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
