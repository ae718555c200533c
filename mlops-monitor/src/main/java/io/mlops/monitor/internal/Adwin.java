package io.mlops.monitor.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.monitor.ChangeDetector;

/**
 * ADWIN (see {@link ChangeDetector}) over at most {@link ChangeDetector#ADWIN_MAX_OBSERVATIONS}
 * observations in a ring, every split checked exactly (prefix sums; O(window) per observation).
 */
final class Adwin extends ChangeState {

    private static final int CAPACITY = ChangeDetector.ADWIN_MAX_OBSERVATIONS;

    private final double delta;
    private final double[] ring = new double[CAPACITY];
    private final double[] prefix = new double[CAPACITY + 1];
    private int head; // index of the oldest
    private int size;

    Adwin(double delta) {
        this.delta = delta;
    }

    private double at(int i) {
        return ring[(head + i) % CAPACITY];
    }

    private void append(double x) {
        if (size == CAPACITY) {
            head = (head + 1) % CAPACITY;
            size--;
        }
        ring[(head + size) % CAPACITY] = x;
        size++;
    }

    private void dropOldest(int n) {
        head = (head + n) % CAPACITY;
        size -= n;
    }

    @Override
    boolean add(double x) {
        if (!Double.isFinite(x)) {
            return false;
        }
        append(x);
        boolean worse = false;
        int cut;
        while ((cut = cut()) > 0) {
            double older = prefix[cut] / cut;
            double newer = (prefix[size] - prefix[cut]) / (size - cut);
            worse |= newer > older;
            dropOldest(cut);
        }
        return worse;
    }

    /**
     * The size of the older part of the first split (oldest first) whose means differ by more than
     * ε, or 0; leaves the window's prefix sums in {@link #prefix}.
     */
    int cut() {
        int n = size;
        double sumSq = 0;
        prefix[0] = 0;
        for (int i = 0; i < n; i++) {
            double v = at(i);
            prefix[i + 1] = prefix[i] + v;
            sumSq += v * v;
        }
        if (n < 2 * ChangeDetector.ADWIN_MIN_PART) {
            return 0;
        }
        double total = prefix[n];
        double variance = Math.max(0, sumSq / n - (total / n) * (total / n));
        double logTerm = Math.log(2 * n / delta); // ln(2 / δ'), δ' = δ / n
        for (int n0 = ChangeDetector.ADWIN_MIN_PART; n0 <= n - ChangeDetector.ADWIN_MIN_PART; n0++) {
            int n1 = n - n0;
            double m = 1 / (1.0 / n0 + 1.0 / n1);
            double epsilon = Math.sqrt(2 / m * variance * logTerm) + 2 / (3 * m) * logTerm;
            if (Math.abs(prefix[n0] / n0 - (total - prefix[n0]) / n1) > epsilon) {
                return n0;
            }
        }
        return 0;
    }

    @Override
    long observations() {
        return size;
    }

    @Override
    ObjectNode write(ObjectNode into) {
        ArrayNode values = into.putArray("window");
        for (int i = 0; i < size; i++) {
            values.add(at(i));
        }
        return into;
    }

    @Override
    void read(JsonNode j) {
        head = 0;
        size = 0;
        for (JsonNode v : j.path("window")) {
            if (v.isNumber() && Double.isFinite(v.asDouble())) {
                append(v.asDouble());
            }
        }
    }
}
