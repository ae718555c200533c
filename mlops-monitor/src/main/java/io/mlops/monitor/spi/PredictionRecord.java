package io.mlops.monitor.spi;

/**
 * A logged prediction as stored. The monitor checks and serialises every record when it is logged,
 * so a store receives JSON text that is known to be readable again.
 *
 * @param id the prediction id
 * @param timestampMillis when it was logged, epoch milliseconds
 * @param modelVersion the version, or null
 * @param inputJson the features as JSON text, or null when not given
 * @param outputJson the output as JSON text, or null when not given
 * @param probability the probability, or null
 * @param latencyMicros the latency in microseconds, or -1 when not given
 * @param user the user, or null
 * @param traceId the W3C trace id of the request it answered, or null
 * @param expectedCorrect the calibrated probability that the output is right, from the monitor's
 *     performance estimator when it has one and the prediction came with a probability, else null
 *     (stored so that estimated metrics are the same from every instance and after a restart)
 * @since 0.1.0
 */
public record PredictionRecord(long id, long timestampMillis, String modelVersion, String inputJson, String outputJson,
                               Double probability, long latencyMicros, String user, String traceId, Double expectedCorrect) {

    /**
     * A record without an estimate of its correctness.
     *
     * @param id the prediction id
     * @param timestampMillis when it was logged, epoch milliseconds
     * @param modelVersion the version, or null
     * @param inputJson the features as JSON text, or null
     * @param outputJson the output as JSON text, or null
     * @param probability the probability, or null
     * @param latencyMicros the latency in microseconds, or -1
     * @param user the user, or null
     * @param traceId the W3C trace id, or null
     */
    public PredictionRecord(long id, long timestampMillis, String modelVersion, String inputJson, String outputJson,
                            Double probability, long latencyMicros, String user, String traceId) {
        this(id, timestampMillis, modelVersion, inputJson, outputJson, probability, latencyMicros, user, traceId, null);
    }

    /**
     * A record without a trace id.
     *
     * @param id the prediction id
     * @param timestampMillis when it was logged, epoch milliseconds
     * @param modelVersion the version, or null
     * @param inputJson the features as JSON text, or null
     * @param outputJson the output as JSON text, or null
     * @param probability the probability, or null
     * @param latencyMicros the latency in microseconds, or -1
     * @param user the user, or null
     */
    public PredictionRecord(long id, long timestampMillis, String modelVersion, String inputJson, String outputJson,
                            Double probability, long latencyMicros, String user) {
        this(id, timestampMillis, modelVersion, inputJson, outputJson, probability, latencyMicros, user, null, null);
    }
}
