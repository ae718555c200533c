package io.mlops.monitor.internal;

import io.mlops.monitor.PredictionLog;

import java.time.Duration;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * One prediction being filled in. {@link #log()} checks and serialises it on the caller's thread
 * ({@link RecordChecks}), so that a bad record fails its caller at once and never reaches the
 * writer, where it would hold up everyone else's records; then hands it to the monitor. Not
 * thread-safe; one per {@code prediction()} call.
 */
final class DefaultPredictionLog implements PredictionLog {

    /** A prediction that passed the checks, its values as JSON text. */
    record Checked(String version, String user, String inputJson, String outputJson, Double probability,
                   long latencyMicros, Map<String, Object> input, Object output, String traceId) {
    }

    private final ToLongFunction<Checked> sink;
    private Map<String, Object> input;
    private Object output;
    private Double probability;
    private long latencyMicros = -1;
    private String version;
    private String user;
    private String traceId;

    DefaultPredictionLog(ToLongFunction<Checked> sink) {
        this.sink = sink;
    }

    @Override
    public PredictionLog input(Map<String, Object> features) {
        this.input = features;
        return this;
    }

    @Override
    public PredictionLog output(Object output) {
        this.output = output;
        return this;
    }

    @Override
    public PredictionLog probability(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1] but was " + probability);
        }
        this.probability = probability;
        return this;
    }

    @Override
    public PredictionLog latency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must be >= 0 but was " + latency);
        }
        this.latencyMicros = latency.toNanos() / 1000;
        return this;
    }

    @Override
    public PredictionLog modelVersion(String version) {
        this.version = version;
        return this;
    }

    @Override
    public PredictionLog user(String user) {
        this.user = user;
        return this;
    }

    @Override
    public PredictionLog traceId(String traceId) {
        if (!isTraceId(traceId)) {
            throw new IllegalArgumentException("a trace id is 32 lowercase hexadecimal digits, not all zeros, but was "
                    + (traceId == null ? "null" : traceId.length() > 64 ? traceId.length() + " characters" : "'" + traceId + "'"));
        }
        this.traceId = traceId;
        return this;
    }

    /** A W3C trace id: 32 lowercase hex digits, not all zeros. */
    static boolean isTraceId(String s) {
        if (s == null || s.length() != 32) {
            return false;
        }
        boolean nonZero = false;
        for (int i = 0; i < 32; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }

    @Override
    public long log() {
        return sink.applyAsLong(new Checked(RecordChecks.text(version, RecordChecks.MAX_NAME_CHARS, "modelVersion"),
                RecordChecks.text(user, RecordChecks.MAX_NAME_CHARS, "user"),
                input == null ? null : RecordChecks.json(input, "input"),
                output == null ? null : RecordChecks.json(output, "output"), probability, latencyMicros, input, output, traceId));
    }
}
