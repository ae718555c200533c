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
                   long latencyMicros, Map<String, Object> input, Object output) {
    }

    private final ToLongFunction<Checked> sink;
    private Map<String, Object> input;
    private Object output;
    private Double probability;
    private long latencyMicros = -1;
    private String version;
    private String user;

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
    public long log() {
        return sink.applyAsLong(new Checked(RecordChecks.text(version, RecordChecks.MAX_NAME_CHARS, "modelVersion"),
                RecordChecks.text(user, RecordChecks.MAX_NAME_CHARS, "user"),
                input == null ? null : RecordChecks.json(input, "input"),
                output == null ? null : RecordChecks.json(output, "output"), probability, latencyMicros, input, output));
    }
}
