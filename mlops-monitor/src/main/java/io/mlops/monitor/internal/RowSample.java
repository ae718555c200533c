package io.mlops.monitor.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A uniform random sample of logged input rows (Vitter's reservoir: the n-th row replaces a kept
 * one with probability capacity / n), of the numeric features a multivariate drift method watches;
 * a value that is missing or not a finite number is NaN. Two samples merge into a uniform sample of
 * the union of their rows: the merge draws without replacement from the union, taking each next
 * row from a side with the probability of its rows not yet drawn, and stops when a side's sample
 * runs out, so a busy hour is not under-represented beside a quiet one. Seeded (the hour, the
 * sizes): the same rows logged in the same order give the same sample. Not thread-safe: its
 * profile's lock guards it.
 */
final class RowSample {

    static final int MAX_ROWS = 1_000_000;

    final List<String> features;
    final int capacity;
    long seen;
    final List<double[]> rows;
    private final SplittableRandom random;

    RowSample(List<String> features, int capacity, long seed) {
        this(features, capacity, 0, new ArrayList<>(Math.min(capacity, 1024)), seed);
    }

    private RowSample(List<String> features, int capacity, long seen, List<double[]> rows, long seed) {
        this.features = List.copyOf(features);
        this.capacity = capacity;
        this.seen = seen;
        this.rows = rows;
        this.random = new SplittableRandom(seed);
    }

    /** A copy that later offers to this one do not change. */
    RowSample copy() {
        List<double[]> kept = new ArrayList<>(rows.size());
        rows.forEach(r -> kept.add(r.clone()));
        return new RowSample(features, capacity, seen, kept, seen * 31 + capacity);
    }

    /** Offers one logged input. */
    void offer(Map<String, Object> input) {
        seen++;
        int at = rows.size() < capacity ? rows.size() : (int) Math.min(capacity, random.nextLong(seen));
        if (at >= capacity) {
            return;
        }
        double[] row = new double[features.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = input.get(features.get(i)) instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : Double.NaN;
        }
        if (at == rows.size()) {
            rows.add(row);
        } else {
            rows.set(at, row);
        }
    }

    /**
     * A uniform sample of both samples' rows together.
     *
     * @param capacity the merged sample's capacity
     * @throws IllegalArgumentException when they watch different features
     */
    static RowSample merge(RowSample a, RowSample b, int capacity) {
        if (!a.features.equals(b.features)) {
            throw new IllegalArgumentException("row samples of features " + a.features + " and " + b.features);
        }
        SplittableRandom random = new SplittableRandom(31 * a.seen + b.seen + 17L * a.rows.size() + b.rows.size());
        List<double[]> left = shuffled(a.rows, random);
        List<double[]> right = shuffled(b.rows, random);
        long restA = a.seen;
        long restB = b.seen;
        int takenA = 0;
        int takenB = 0;
        List<double[]> out = new ArrayList<>();
        while (out.size() < capacity && restA + restB > 0) {
            boolean fromA = random.nextLong(restA + restB) < restA;
            if (fromA ? takenA == left.size() : takenB == right.size()) {
                break; // that side's sample is used up: what was drawn so far is still uniform
            }
            out.add(fromA ? left.get(takenA++) : right.get(takenB++));
            if (fromA) {
                restA--;
            } else {
                restB--;
            }
        }
        return new RowSample(a.features, capacity, a.seen + b.seen, out, random.nextLong());
    }

    private static List<double[]> shuffled(List<double[]> rows, SplittableRandom random) {
        List<double[]> copy = new ArrayList<>(rows);
        for (int i = copy.size() - 1; i > 0; i--) {
            java.util.Collections.swap(copy, i, random.nextInt(i + 1));
        }
        return copy;
    }

    /** The sample as a dataset of its features. */
    io.mlops.core.Dataset dataset() {
        io.mlops.core.Dataset.Builder b = io.mlops.core.Dataset.builder();
        for (int j = 0; j < features.size(); j++) {
            double[] column = new double[rows.size()];
            for (int i = 0; i < column.length; i++) {
                column[i] = rows.get(i)[j];
            }
            b.numeric(features.get(j), column);
        }
        return b.build();
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(features.size());
        for (String f : features) {
            out.writeUTF(f);
        }
        out.writeInt(capacity);
        out.writeLong(seen);
        out.writeInt(rows.size());
        for (double[] row : rows) {
            for (double v : row) {
                out.writeDouble(v);
            }
        }
    }

    /**
     * Reads a sample, checking every count against the limits and the bytes that remain.
     *
     * @throws IOException when the bytes are damaged
     */
    static RowSample read(DataInputStream in, long seed) throws IOException {
        int n = in.readInt();
        if (n < 1 || n > 10_000) {
            throw new IOException("row sample of " + n + " features");
        }
        List<String> features = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            features.add(in.readUTF());
        }
        int capacity = in.readInt();
        long seen = in.readLong();
        int size = in.readInt();
        if (capacity < 1 || capacity > MAX_ROWS || size < 0 || size > capacity || seen < size
                || (long) size * n * Double.BYTES > in.available()) {
            throw new IOException("row sample of " + size + " rows (capacity " + capacity + ", seen " + seen + ", "
                    + in.available() + " bytes left)");
        }
        List<double[]> rows = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            double[] row = new double[n];
            for (int j = 0; j < n; j++) {
                row[j] = in.readDouble();
            }
            rows.add(row);
        }
        return new RowSample(features, capacity, seen, rows, seed);
    }
}
