package io.mlops.monitor.internal;

import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.Task;
import org.HdrHistogram.IntCountsHistogram;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Time-bucketed metric aggregates: one bucket per minute and model version, rolled up per hour as
 * they are recorded. Metrics over a window merge the whole hours' rollups and the minutes at the
 * edges (at most 24 + 120 buckets for a day); nothing scans rows. Thread-safe: it guards itself
 * (every method that reads or writes the buckets holds its monitor), so no caller takes its lock.
 */
final class Aggregates {

    static final long BUCKET_MILLIS = 60_000;
    static final long HOUR_MILLIS = 3_600_000;
    /** Latencies up to an hour, in microseconds, to 2 significant digits (1% precision). */
    static final long MAX_LATENCY_MICROS = 3_600_000_000L;

    /** One minute of one model version. */
    static final class Bucket {
        long predictions;
        long errors;
        long feedback;
        long correct;
        final Map<String, Long> confusion = new HashMap<>(); // actual \u0000 predicted -> count
        /** Whether counts were left out of {@link #confusion} (only in the store's totals: too many or too long labels). */
        boolean confusionIncomplete;
        double absErrorSum;
        double squaredErrorSum;
        long regressionCount;
        long latencyCount;
        double latencySumMicros;
        IntCountsHistogram latency;
        /** Per predicted label: the predictions logged with an estimate, and the sum of their calibrated probability of being right. */
        final Map<String, double[]> estimated = new HashMap<>();

        void estimate(String predicted, double expectedCorrect) {
            double[] e = estimated.computeIfAbsent(predicted == null ? "" : predicted, k -> new double[2]);
            e[0]++;
            e[1] += expectedCorrect;
        }

        void addLatency(long micros) {
            if (latency == null) {
                latency = new IntCountsHistogram(MAX_LATENCY_MICROS, 2);
            }
            latency.recordValue(Math.min(Math.max(micros, 0), MAX_LATENCY_MICROS));
            latencyCount++;
            latencySumMicros += micros;
        }

        /** Adds {@code count} latencies of one histogram bucket ({@code lowest} its lowest value) summing to {@code sumMicros}. */
        void addLatency(long lowest, long count, long sumMicros) {
            if (latency == null) {
                latency = new IntCountsHistogram(MAX_LATENCY_MICROS, 2);
            }
            latency.recordValueWithCount(Math.min(Math.max(lowest, 0), MAX_LATENCY_MICROS), count);
            latencyCount += count;
            latencySumMicros += sumMicros;
        }

        void feedback(String predicted, String actual, double predictedValue, double actualValue, int sign) {
            feedback += sign;
            if (predicted != null && predicted.equals(actual)) {
                correct += sign;
            }
            confusion.merge((actual == null ? "" : actual) + '\u0000' + (predicted == null ? "" : predicted), (long) sign,
                    Long::sum);
            if (!Double.isNaN(predictedValue) && !Double.isNaN(actualValue)) {
                double e = predictedValue - actualValue;
                absErrorSum += sign * Math.abs(e);
                squaredErrorSum += sign * e * e;
                regressionCount += sign;
            }
        }
    }

    private final TreeMap<Long, Map<String, Bucket>> minutes = new TreeMap<>();
    private final TreeMap<Long, Map<String, Bucket>> hours = new TreeMap<>();

    static long bucketOf(long millis) {
        return Math.floorDiv(millis, BUCKET_MILLIS) * BUCKET_MILLIS;
    }

    static long hourOf(long millis) {
        return Math.floorDiv(millis, HOUR_MILLIS) * HOUR_MILLIS;
    }

    private static Bucket in(TreeMap<Long, Map<String, Bucket>> map, long start, String version) {
        return map.computeIfAbsent(start, k -> new HashMap<>()).computeIfAbsent(version == null ? "" : version,
                k -> new Bucket());
    }

    synchronized void prediction(long millis, String version, long latencyMicros) {
        prediction(millis, version, latencyMicros, null, null);
    }

    /** A prediction, with the calibrated probability that its label {@code predicted} is right (null: none). */
    synchronized void prediction(long millis, String version, long latencyMicros, String predicted, Double expectedCorrect) {
        for (Bucket b : new Bucket[] {in(minutes, bucketOf(millis), version), in(hours, hourOf(millis), version)}) {
            b.predictions++;
            if (latencyMicros >= 0) {
                b.addLatency(latencyMicros);
            }
            if (expectedCorrect != null) {
                b.estimate(predicted, expectedCorrect);
            }
        }
    }

    /** Adds a stored prediction and its feedback, if any: the path that rebuilds and recomputes. */
    synchronized void observe(io.mlops.monitor.spi.Observation o) {
        prediction(o.timestampMillis(), o.modelVersion(), o.latencyMicros(), Labels.normalize(o.output()), o.expectedCorrect());
        if (o.hasFeedback()) {
            feedback(o.timestampMillis(), o.modelVersion(), Labels.normalize(o.output()), Labels.toDouble(o.output()), false,
                    null, Double.NaN, Labels.normalize(o.actual()), Labels.toDouble(o.actual()));
        }
    }

    synchronized void error(long millis, String version) {
        in(minutes, bucketOf(millis), version).errors++;
        in(hours, hourOf(millis), version).errors++;
    }

    /**
     * Counts a prediction's feedback; with {@code replaced}, first takes back the feedback it
     * replaces (one step: a metric never sees both, or neither).
     *
     * @param replaced whether {@code previous} was counted before and is taken back
     */
    synchronized void feedback(long millis, String version, String predicted, double predictedValue, boolean replaced,
                               String previous, double previousValue, String actual, double actualValue) {
        Bucket minute = in(minutes, bucketOf(millis), version);
        Bucket hour = in(hours, hourOf(millis), version);
        if (replaced) {
            minute.feedback(predicted, previous, predictedValue, previousValue, -1);
            hour.feedback(predicted, previous, predictedValue, previousValue, -1);
        }
        minute.feedback(predicted, actual, predictedValue, actualValue, 1);
        hour.feedback(predicted, actual, predictedValue, actualValue, 1);
    }

    /**
     * Merges a stored bucket ({@link TotalsRows}) into the minute or hour it covers.
     *
     * @param start the bucket's start
     * @param hour whether it is an hour (else a minute)
     * @param version the model version, "" for none
     * @param stored the bucket
     */
    synchronized void add(long start, boolean hour, String version, Bucket stored) {
        merge(in(hour ? hours : minutes, start, version.isEmpty() ? null : version), stored, true);
    }

    /** Drops buckets that start before the cut-off (hours only when wholly before it). */
    synchronized void evictBefore(long millis) {
        minutes.headMap(bucketOf(millis)).clear();
        hours.headMap(hourOf(millis)).clear();
    }

    /** Requests in a bucket-aligned interval, for the dashboard. */
    /** The requests of each of {@code count} consecutive hours from {@code firstHour}, read at one moment. */
    synchronized long[] hourlyRequests(long firstHour, int count) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = requests(firstHour + i * HOUR_MILLIS, firstHour + (i + 1) * HOUR_MILLIS);
        }
        return out;
    }

    /**
     * The snapshots of consecutive steps of a window, read at one moment.
     */
    synchronized java.util.List<MetricsSnapshot> steps(long[] starts, long step, String version, Task task, String positive,
                                                       long dropped, long unknown) {
        java.util.List<MetricsSnapshot> out = new java.util.ArrayList<>(starts.length);
        for (long from : starts) {
            out.add(snapshot(from, from + step, version, task, positive, dropped, unknown));
        }
        return out;
    }

    synchronized long requests(long fromMillis, long toMillis) {
        Bucket sum = new Bucket();
        mergeRange(sum, fromMillis, toMillis, null, false);
        return sum.predictions + sum.errors;
    }

    /**
     * Returns the model versions with traffic in [from, to), sorted ("" is traffic without a version).
     *
     * @return the model versions with traffic in [from, to), sorted
     */
    synchronized java.util.SortedSet<String> versions(long from, long to) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (TreeMap<Long, Map<String, Bucket>> source : List.of(minutes, hours)) {
            for (Map<String, Bucket> m : source.subMap(from, true, to, false).values()) {
                m.forEach((v, b) -> {
                    if (b.predictions + b.errors > 0) {
                        out.add(v);
                    }
                });
            }
        }
        return out;
    }

    /** Merges the buckets of [from, to) for a version (null: all) into a snapshot. */
    synchronized MetricsSnapshot snapshot(long from, long to, String version, Task task, String positive, long dropped, long unknown) {
        Bucket sum = new Bucket();
        mergeRange(sum, from, to, version, true);
        return compute(sum, from, to, activeMillis(from, to, version), version, task, positive, dropped, unknown);
    }

    /**
     * The span of the window that had traffic: from the first minute with a request to the end of
     * the last one (at least a minute), so that throughput over a day of which three hours were busy
     * is the busy rate, not a twenty-fourth of it.
     */
    private long activeMillis(long from, long to, String version) {
        long first = -1;
        long last = -1;
        for (Map.Entry<Long, Map<String, Bucket>> e : minutes.subMap(from, true, to, false).entrySet()) {
            for (Map.Entry<String, Bucket> b : e.getValue().entrySet()) {
                if ((version == null || version.equals(b.getKey())) && b.getValue().predictions + b.getValue().errors > 0) {
                    if (first < 0) {
                        first = e.getKey();
                    }
                    last = e.getKey();
                    break;
                }
            }
        }
        return spanMillis(first, last, from, to);
    }

    /** The active span from the first and last time with traffic (-1: none) of a window. */
    static long spanMillis(long firstMillis, long lastMillis, long from, long to) {
        return firstMillis < 0 ? to - from : bucketOf(lastMillis) + BUCKET_MILLIS - bucketOf(firstMillis);
    }

    /** Whole hours from the rollups, the minutes at the edges from the minute buckets. */
    private void mergeRange(Bucket sum, long from, long to, String version, boolean histograms) {
        long t = from;
        while (t < to) {
            TreeMap<Long, Map<String, Bucket>> source;
            long step;
            if (t % HOUR_MILLIS == 0 && t + HOUR_MILLIS <= to) {
                source = hours;
                step = HOUR_MILLIS;
            } else {
                source = minutes;
                step = BUCKET_MILLIS;
            }
            Map<String, Bucket> m = source.get(t);
            if (m != null) {
                for (Map.Entry<String, Bucket> e : m.entrySet()) {
                    if (version == null || version.equals(e.getKey())) {
                        merge(sum, e.getValue(), histograms);
                    }
                }
            }
            t += step;
        }
    }

    static void merge(Bucket into, Bucket b, boolean histograms) {
        into.predictions += b.predictions;
        into.errors += b.errors;
        into.feedback += b.feedback;
        into.correct += b.correct;
        b.confusion.forEach((k, v) -> into.confusion.merge(k, v, Long::sum));
        into.confusionIncomplete |= b.confusionIncomplete;
        into.absErrorSum += b.absErrorSum;
        into.squaredErrorSum += b.squaredErrorSum;
        into.regressionCount += b.regressionCount;
        into.latencyCount += b.latencyCount;
        into.latencySumMicros += b.latencySumMicros;
        b.estimated.forEach((label, e) -> {
            double[] sum = into.estimated.computeIfAbsent(label, k -> new double[2]);
            sum[0] += e[0];
            sum[1] += e[1];
        });
        if (histograms && b.latency != null) {
            if (into.latency == null) {
                into.latency = new IntCountsHistogram(MAX_LATENCY_MICROS, 2);
            }
            into.latency.add(b.latency);
        }
    }

    static MetricsSnapshot compute(Bucket s, long from, long to, long activeMillis, String version, Task task,
                                   String positive, long dropped, long unknown) {
        long requests = s.predictions + s.errors;
        Double accuracy = null;
        Double precision = null;
        Double recall = null;
        Double f1 = null;
        Double mae = null;
        Double rmse = null;
        if (task == Task.CLASSIFICATION && s.feedback > 0) {
            accuracy = s.correct / (double) s.feedback;
            Map<String, long[]> perClass = new TreeMap<>(); // tp, fp, fn
            Set<String> labels = new HashSet<>();
            s.confusion.forEach((k, n) -> {
                if (n == 0) {
                    return;
                }
                int sep = k.indexOf('\u0000');
                String actual = k.substring(0, sep);
                String predicted = k.substring(sep + 1);
                labels.add(actual);
                labels.add(predicted);
                if (actual.equals(predicted)) {
                    perClass.computeIfAbsent(actual, x -> new long[3])[0] += n;
                } else {
                    perClass.computeIfAbsent(predicted, x -> new long[3])[1] += n;
                    perClass.computeIfAbsent(actual, x -> new long[3])[2] += n;
                }
            });
            labels.remove("");
            if (labels.size() <= 2) {
                long[] c = perClass.getOrDefault(positive, new long[3]);
                precision = c[0] + c[1] == 0 ? null : c[0] / (double) (c[0] + c[1]);
                recall = c[0] + c[2] == 0 ? null : c[0] / (double) (c[0] + c[2]);
                if (precision != null && recall != null) {
                    f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
                }
            } else {
                double p = 0;
                double r = 0;
                double f = 0;
                for (String label : labels) {
                    long[] c = perClass.getOrDefault(label, new long[3]);
                    double pc = c[0] + c[1] == 0 ? 0 : c[0] / (double) (c[0] + c[1]);
                    double rc = c[0] + c[2] == 0 ? 0 : c[0] / (double) (c[0] + c[2]);
                    p += pc;
                    r += rc;
                    f += pc + rc == 0 ? 0 : 2 * pc * rc / (pc + rc);
                }
                precision = p / labels.size();
                recall = r / labels.size();
                f1 = f / labels.size();
            }
        }
        if (task == Task.REGRESSION && s.regressionCount > 0) {
            mae = s.absErrorSum / s.regressionCount;
            rmse = Math.sqrt(Math.max(0, s.squaredErrorSum) / s.regressionCount);
        }
        Double avg = null;
        Double p50 = null;
        Double p95 = null;
        Double p99 = null;
        if (s.latencyCount > 0 && s.latency != null) {
            avg = s.latencySumMicros / s.latencyCount / 1000.0;
            p50 = s.latency.getValueAtPercentile(50) / 1000.0;
            p95 = s.latency.getValueAtPercentile(95) / 1000.0;
            p99 = s.latency.getValueAtPercentile(99) / 1000.0;
        }
        double seconds = activeMillis / 1000.0;
        return new MetricsSnapshot(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), version,
                new MetricsSnapshot.Counts(requests, s.predictions, s.errors, s.feedback, dropped, unknown),
                new MetricsSnapshot.Quality(accuracy, precision, recall, f1, mae, rmse),
                new MetricsSnapshot.Latency(avg, p50, p95, p99),
                requests == 0 ? null : s.errors / (double) requests, requests / seconds, estimated(s, positive));
    }

    /**
     * The expected confusion matrix of the positive label from the calibrated probabilities of being
     * right: a prediction of the positive label adds {@code p} to TP and {@code 1 − p} to FP, any
     * other adds {@code p} to TN and {@code 1 − p} to FN.
     */
    static MetricsSnapshot.Estimated estimated(Bucket s, String positive) {
        double n = 0;
        double right = 0;
        for (double[] e : s.estimated.values()) {
            n += e[0];
            right += e[1];
        }
        if (n == 0) {
            return MetricsSnapshot.Estimated.NONE;
        }
        double[] pos = s.estimated.getOrDefault(positive == null ? "" : positive, new double[2]);
        double tp = pos[1];
        double fp = pos[0] - pos[1];
        double fn = (n - pos[0]) - (right - pos[1]);
        Double precision = tp + fp > 0 ? tp / (tp + fp) : null;
        Double recall = tp + fn > 0 ? tp / (tp + fn) : null;
        Double f1 = 2 * tp + fp + fn > 0 ? 2 * tp / (2 * tp + fp + fn) : null;
        return new MetricsSnapshot.Estimated((long) n, right / n, positive == null ? null : precision,
                positive == null ? null : recall, positive == null ? null : f1);
    }
}
