package io.mlops.serving.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters and latency histograms per endpoint, model version and status, rendered in the
 * Prometheus text exposition format. Lock-free on the request path.
 */
final class PrometheusMetrics {

    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private record Key(String endpoint, String version, int status) {
    }

    private static final class Series {
        final LongAdder count = new LongAdder();
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];
        final LongAdder sumNanos = new LongAdder();

        Series() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }

    private final ConcurrentHashMap<Key, Series> series = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();

    void record(String endpoint, String version, int status, long nanos) {
        Series s = series.computeIfAbsent(new Key(endpoint, version == null ? "" : version, status), k -> new Series());
        s.count.increment();
        s.sumNanos.add(nanos);
        double seconds = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                s.buckets[i].increment(); // cumulative buckets are summed when rendered
                break;
            }
        }
        requests.increment();
        if (status >= 500) {
            errors.increment();
        }
    }

    long requests() {
        return requests.sum();
    }

    double errorRate() {
        long n = requests.sum();
        return n == 0 ? 0 : errors.sum() / (double) n;
    }

    String render() {
        StringBuilder b = new StringBuilder(4096);
        Map<String, Series> sorted = new TreeMap<>();
        series.forEach((k, v) -> sorted.put(labels(k), v));
        b.append("# HELP mlops_requests_total Requests served, by endpoint, model version and status.\n");
        b.append("# TYPE mlops_requests_total counter\n");
        sorted.forEach((labels, s) -> b.append("mlops_requests_total{").append(labels).append("} ").append(s.count.sum()).append('\n'));
        b.append("# HELP mlops_request_errors_total Requests that failed on the server (status 5xx).\n");
        b.append("# TYPE mlops_request_errors_total counter\n");
        b.append("mlops_request_errors_total ").append(errors.sum()).append('\n');
        b.append("# HELP mlops_request_duration_seconds Request latency.\n");
        b.append("# TYPE mlops_request_duration_seconds histogram\n");
        sorted.forEach((labels, s) -> {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += s.buckets[i].sum();
                b.append("mlops_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(BUCKETS[i])
                        .append("\"} ").append(cumulative).append('\n');
            }
            b.append("mlops_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ").append(s.count.sum()).append('\n');
            b.append("mlops_request_duration_seconds_sum{").append(labels).append("} ").append(s.sumNanos.sum() / 1e9).append('\n');
            b.append("mlops_request_duration_seconds_count{").append(labels).append("} ").append(s.count.sum()).append('\n');
        });
        return b.toString();
    }

    private static String labels(Key k) {
        return "endpoint=\"" + escape(k.endpoint()) + "\",model_version=\"" + escape(k.version()) + "\",status=\"" + k.status() + "\"";
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
