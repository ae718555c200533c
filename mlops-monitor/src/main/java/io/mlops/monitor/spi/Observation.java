package io.mlops.monitor.spi;

/**
 * A stored prediction joined with its latest feedback, for recomputing metrics.
 *
 * @param id the prediction id
 * @param timestampMillis when it was logged
 * @param modelVersion the version, or null
 * @param output the output, or null
 * @param latencyMicros the latency, or -1
 * @param actual the latest feedback, or null when none
 * @param hasFeedback whether feedback exists (the actual itself may be JSON null)
 * @param expectedCorrect the calibrated probability that the output is right, as logged
 *     ({@link PredictionRecord#expectedCorrect}), or null
 * @since 0.1.0
 */
public record Observation(long id, long timestampMillis, String modelVersion, Object output, long latencyMicros,
                          Object actual, boolean hasFeedback, Double expectedCorrect) {

    /**
     * An observation without an estimate of its correctness.
     *
     * @param id the prediction id
     * @param timestampMillis when it was logged
     * @param modelVersion the version, or null
     * @param output the output, or null
     * @param latencyMicros the latency, or -1
     * @param actual the latest feedback, or null when none
     * @param hasFeedback whether feedback exists
     */
    public Observation(long id, long timestampMillis, String modelVersion, Object output, long latencyMicros,
                       Object actual, boolean hasFeedback) {
        this(id, timestampMillis, modelVersion, output, latencyMicros, actual, hasFeedback, null);
    }
}
