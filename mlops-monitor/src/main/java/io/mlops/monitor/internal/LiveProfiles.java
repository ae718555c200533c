package io.mlops.monitor.internal;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.drift.ReferenceProfile;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Mergeable profiles of the logged input features, per hour (all model versions together): a KLL
 * quantile sketch (Apache DataSketches, k = {@value #K}: normalised rank error about 1.3% with 99%
 * confidence) per numeric feature and a frequent-items sketch ({@value #ITEMS} slots; exact below
 * about 768 distinct values) per categorical one, plus how many rows carried each feature. Raw
 * values are not kept, except for a multivariate drift method: then a uniform sample of each
 * hour's rows of its features ({@link RowSample}). Thread-safe (one lock).
 */
final class LiveProfiles {

    static final int K = 200;
    static final int ITEMS = 1024;
    static final long HOUR = 3_600_000L;

    /** One hour's sketches. */
    static final class Profile {
        final Map<String, KllDoublesSketch> numeric = new HashMap<>();
        final Map<String, ItemsSketch<String>> categorical = new HashMap<>();
        /** The logged outputs: numbers in the first, labels in the second (either may be null). */
        KllDoublesSketch numericOutput;
        ItemsSketch<String> categoricalOutput;
        long rows;
        /** The hour's sampled rows for a multivariate method, or null. */
        RowSample sample;

        /** Merges another hour's or writer's profile: a window of them keeps every side's sampled rows. */
        void merge(Profile other) {
            merge(other, true);
        }

        /**
         * Merges another profile.
         *
         * @param widen whether the merged row sample may hold both sides' capacities (a window of
         *     hours), else only the larger (the same hour continued)
         */
        void merge(Profile other, boolean widen) {
            if (other.sample != null) {
                sample = sample == null ? other.sample.copy() : RowSample.merge(sample, other.sample,
                        widen ? sample.capacity + other.sample.capacity : Math.max(sample.capacity, other.sample.capacity));
            }
            rows += other.rows;
            if (other.numericOutput != null) {
                numericOutput = numericOutput == null ? KllDoublesSketch.newHeapInstance(K) : numericOutput;
                numericOutput.merge(other.numericOutput);
            }
            if (other.categoricalOutput != null) {
                categoricalOutput = categoricalOutput == null ? new ItemsSketch<>(ITEMS) : categoricalOutput;
                categoricalOutput.merge(other.categoricalOutput);
            }
            other.numeric.forEach((f, s) -> numeric.computeIfAbsent(f, k -> KllDoublesSketch.newHeapInstance(K)).merge(s));
            other.categorical.forEach((f, s) -> categorical.computeIfAbsent(f, k -> new ItemsSketch<>(ITEMS)).merge(s));
        }
    }


    private final TreeMap<Long, Profile> hours = new TreeMap<>(); // guarded by this
    private final java.util.Set<Long> dirty = new java.util.TreeSet<>(); // hours changed since saved; guarded by this
    private long lastDirty = Long.MIN_VALUE; // the hour last added to dirty, so that a log adds nothing most of the time
    private final long horizonMillis;
    private final String predictionColumn;
    private final io.mlops.monitor.LiveDrift settings;
    private final io.mlops.drift.MultivariateDrift multivariate; // null without a multivariate method
    private final int rowsPerHour;

    /**
     * Keeps profiles for a horizon.
     *
     * @param horizon how long an hour's profile is kept
     * @param predictionColumn the reference column the outputs are compared with
     */
    LiveProfiles(java.time.Duration horizon, String predictionColumn, io.mlops.monitor.LiveDrift settings) {
        this(horizon, predictionColumn, settings, null, 0);
    }

    /**
     * Keeps profiles for a horizon, with sampled rows for a multivariate method.
     *
     * @param multivariate the fitted method, or null
     * @param rowsPerHour the rows sampled per hour for it
     */
    LiveProfiles(java.time.Duration horizon, String predictionColumn, io.mlops.monitor.LiveDrift settings,
                 io.mlops.drift.MultivariateDrift multivariate, int rowsPerHour) {
        this.multivariate = multivariate;
        this.rowsPerHour = rowsPerHour;
        this.settings = settings;
        this.horizonMillis = horizon.toMillis();
        this.predictionColumn = predictionColumn;
    }

    /** Adds one logged input and output; the first of a new hour forgets the hours beyond the horizon. */
    synchronized void observe(long millis, Map<String, Object> input, Object output) {
        long hour = Math.floorDiv(millis, HOUR) * HOUR;
        if (!hours.containsKey(hour)) {
            evictBefore(millis - horizonMillis);
        }
        Profile p = hours.computeIfAbsent(hour, k -> new Profile());
        if (hour != lastDirty) {
            dirty.add(hour);
            lastDirty = hour;
        }
        if (input != null) {
            p.rows++;
            observeInput(p, input);
            if (multivariate != null) {
                if (p.sample == null) {
                    p.sample = new RowSample(multivariate.features(), rowsPerHour, hour);
                }
                p.sample.offer(input);
            }
        }
        observeOutput(p, output);
    }

    private static void observeInput(Profile p, Map<String, Object> input) {
        for (Map.Entry<String, Object> e : input.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Number n) {
                double d = n.doubleValue();
                if (Double.isFinite(d)) {
                    p.numeric.computeIfAbsent(e.getKey(), k -> KllDoublesSketch.newHeapInstance(K)).update(d);
                }
            } else if (v instanceof String || v instanceof Boolean) {
                p.categorical.computeIfAbsent(e.getKey(), k -> new ItemsSketch<>(ITEMS)).update(String.valueOf(v));
            }
        }
    }

    private static void observeOutput(Profile p, Object output) {
        if (output instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                if (p.numericOutput == null) {
                    p.numericOutput = KllDoublesSketch.newHeapInstance(K);
                }
                p.numericOutput.update(d);
            }
        } else if (output instanceof String || output instanceof Boolean) {
            if (p.categoricalOutput == null) {
                p.categoricalOutput = new ItemsSketch<>(ITEMS);
            }
            p.categoricalOutput.update(String.valueOf(output));
        }
    }

    /** The merge of the hours that start in [from, to). */
    synchronized Profile merged(long from, long to) {
        Profile out = new Profile();
        for (Profile p : hours.subMap(Math.floorDiv(from, HOUR) * HOUR, true, to, false).values()) {
            out.merge(p);
        }
        return out;
    }

    /** Forgets the hours that end before {@code millis}. */
    synchronized void evictBefore(long millis) {
        hours.headMap(Math.floorDiv(millis, HOUR) * HOUR - HOUR, true).clear();
        dirty.retainAll(hours.keySet());
        lastDirty = Long.MIN_VALUE;
    }

    /** The hours changed since the last call, serialised; they count as saved from now on. */
    synchronized Map<Long, byte[]> takeChanged() {
        Map<Long, byte[]> out = new java.util.LinkedHashMap<>();
        for (Long hour : dirty) {
            Profile p = hours.get(hour);
            if (p != null) {
                out.put(hour, ProfileCodec.write(p));
            }
        }
        dirty.clear();
        lastDirty = Long.MIN_VALUE;
        return out;
    }

    /** Marks an hour as changed again (its save failed). */
    synchronized void changed(long hour) {
        if (hours.containsKey(hour)) {
            dirty.add(hour);
        }
    }

    /** Merges a stored profile of this writer's into its hour (a restarted instance continuing its hours). */
    synchronized void absorb(long hour, Profile stored) {
        hours.computeIfAbsent(hour, k -> new Profile()).merge(stored, false);
    }

    /**
     * Compares the inputs logged in [from, to) with a training profile (see {@code ModelMonitor.drift}).
     *
     * @throws IllegalStateException when no input was logged in the window
     */
    io.mlops.drift.DriftReport report(long from, long to, java.time.Duration window, ReferenceProfile reference,
                                      java.util.List<Profile> others) {
        java.util.Objects.requireNonNull(reference, "profile");
        Profile live = merged(from, to);
        others.forEach(live::merge);
        if (live.rows == 0) {
            throw new IllegalStateException("no prediction with input features was logged in the last " + window);
        }
        int m = (int) Math.min(live.rows, settings.sampleRows());
        io.mlops.drift.DriftDetector.Builder detector = settings.applyTo(io.mlops.drift.DriftDetector.builder(reference));
        if (reference.columns().contains(predictionColumn)) {
            detector.prediction(predictionColumn);
        }
        io.mlops.drift.DriftReport r = detector.build().detect(sample(live, reference, m, predictionColumn));
        if (multivariate == null || live.sample == null || live.sample.rows.isEmpty()
                || !live.sample.features.equals(multivariate.features())) {
            return r;
        }
        return new io.mlops.drift.DriftReport(r.timestamp(), r.referenceRows(), r.currentRows(), r.features(), r.newColumns(),
                r.significance(), r.correction(), r.driftShareThreshold(), r.histograms(), r.categoryShares(), r.roles(),
                r.referenceRankErrors(), r.currentRankErrors(), multivariate.detect(live.sample.dataset()));
    }

    /**
     * A stand-in sample of {@code m} rows that has the profile's distributions, for the exact drift
     * detector: a numeric column is the sketch's quantiles at ranks (i + 0.5) / m, a categorical one
     * the estimated category shares laid out by largest remainder; the share of rows that lacked a
     * feature becomes missing values. Columns the reference does not have, or that no row carried,
     * are left out (the detector reports the latter as missing).
     */
    static Dataset sample(Profile p, ReferenceProfile reference, int m) {
        return sample(p, reference, m, null);
    }

    /** The same, with the outputs standing in for the reference's prediction column. */
    static Dataset sample(Profile p, ReferenceProfile reference, int m, String predictionColumn) {
        Dataset.Builder b = Dataset.builder();
        for (String column : reference.columns()) {
            boolean output = column.equals(predictionColumn);
            if (reference.type(column) == ColumnType.NUMERIC) {
                KllDoublesSketch s = output ? p.numericOutput : p.numeric.get(column);
                if (s == null || s.isEmpty()) {
                    continue;
                }
                int present = (int) Math.round(m * Math.min(1.0, s.getN() / (double) p.rows));
                double[] values = new double[m];
                java.util.Arrays.fill(values, Double.NaN);
                for (int i = 0; i < present; i++) {
                    values[i] = s.getQuantile((i + 0.5) / present);
                }
                b.numeric(column, values);
            } else {
                ItemsSketch<String> s = output ? p.categoricalOutput : p.categorical.get(column);
                if (s == null || s.isEmpty()) {
                    continue;
                }
                b.categorical(column, categories(s, m, p.rows));
            }
        }
        return b.build();
    }

    private static String[] categories(ItemsSketch<String> s, int m, long rows) {
        ItemsSketch.Row<String>[] items = s.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES);
        double total = rows;
        String[] out = new String[m];
        int at = 0;
        double[] remainders = new double[items.length];
        for (int i = 0; i < items.length && at < m; i++) {
            double exact = m * items[i].getEstimate() / total;
            int whole = (int) Math.min(Math.floor(exact), m - at);
            for (int k = 0; k < whole; k++) {
                out[at++] = items[i].getItem();
            }
            remainders[i] = exact - Math.floor(exact);
        }
        long carried = s.getStreamLength();
        int present = (int) Math.round(m * Math.min(1.0, carried / total));
        while (at < present) {
            int best = -1;
            for (int i = 0; i < items.length; i++) {
                if (best < 0 || remainders[i] > remainders[best]) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            out[at++] = items[best].getItem();
            remainders[best] = -1;
        }
        return out; // the rest stays null: rows without the feature
    }
}
