package io.mlops.serving.internal;

import io.mlops.core.StabilityIndex;
import io.mlops.serving.Prediction;
import org.apache.datasketches.kll.KllDoublesSketch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one version predicted during a rollout, for the canary's prediction-drift gate: counts per
 * label (at most {@link #MAX_LABELS} distinct, the rest as one "other"), and a KLL quantile sketch
 * (k = 200) of numeric labels. Thread-safe; the request path adds, the analysis reads.
 */
final class PredictionTally {

    static final int MAX_LABELS = 1_000;
    private static final String OTHER = "\u0000other";

    private final Map<String, LongAdder> labels = new ConcurrentHashMap<>();
    private final KllDoublesSketch numbers = KllDoublesSketch.newHeapInstance(200); // guarded by itself
    private final LongAdder total = new LongAdder();

    void add(List<Prediction> predictions) {
        for (Prediction p : predictions) {
            Object label = p.label();
            if (label instanceof Number n && !(label instanceof Integer || label instanceof Long)) {
                double d = n.doubleValue();
                if (Double.isFinite(d)) {
                    synchronized (numbers) {
                        numbers.update(d);
                    }
                }
            } else {
                String key = String.valueOf(label);
                LongAdder a = labels.get(key);
                if (a == null) {
                    a = labels.size() >= MAX_LABELS ? labels.computeIfAbsent(OTHER, k -> new LongAdder())
                            : labels.computeIfAbsent(key, k -> new LongAdder());
                }
                a.increment();
            }
            total.increment();
        }
    }

    long total() {
        return total.sum();
    }

    /**
     * The PSI of the canary's predictions against the primary's (this): over the union of labels,
     * or over the primary's deciles for numeric predictions. NaN when either side has none.
     */
    double psiOf(PredictionTally canary) {
        long numericHere;
        synchronized (numbers) {
            numericHere = numbers.getN();
        }
        if (numericHere > 0) {
            double[] edges;
            double[] expected;
            synchronized (numbers) {
                edges = new double[9];
                for (int i = 1; i <= 9; i++) {
                    edges[i - 1] = numbers.getQuantile(i / 10.0);
                }
                expected = shares(numbers, edges);
            }
            synchronized (canary.numbers) {
                if (canary.numbers.isEmpty()) {
                    return Double.NaN;
                }
                return StabilityIndex.of(expected, shares(canary.numbers, edges));
            }
        }
        TreeSet<String> keys = new TreeSet<>(labels.keySet());
        keys.addAll(canary.labels.keySet());
        if (keys.isEmpty() || canary.labels.isEmpty()) {
            return Double.NaN;
        }
        return StabilityIndex.of(shares(labels, keys), shares(canary.labels, keys));
    }

    private static double[] shares(KllDoublesSketch s, double[] edges) {
        double[] cdf = s.getCDF(strictlyRising(edges));
        double[] out = new double[cdf.length];
        double previous = 0;
        for (int i = 0; i < cdf.length; i++) {
            out[i] = cdf[i] - previous;
            previous = cdf[i];
        }
        return out;
    }

    /** Deciles of a sketch of few distinct values repeat; the CDF needs rising split points. */
    private static double[] strictlyRising(double[] edges) {
        List<Double> out = new ArrayList<>();
        for (double e : edges) {
            if (out.isEmpty() || e > out.get(out.size() - 1)) {
                out.add(e);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] shares(Map<String, LongAdder> counts, TreeSet<String> keys) {
        double total = counts.values().stream().mapToLong(LongAdder::sum).sum();
        double[] out = new double[keys.size()];
        int i = 0;
        for (String k : keys) {
            LongAdder a = counts.get(k);
            out[i++] = a == null || total == 0 ? 0 : a.sum() / total;
        }
        return out;
    }
}
