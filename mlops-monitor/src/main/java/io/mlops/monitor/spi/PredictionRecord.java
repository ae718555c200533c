package io.mlops.monitor.spi;

import java.util.Map;

/**
 * A logged prediction as stored.
 *
 * @param id the prediction id
 * @param timestampMillis when it was logged, epoch milliseconds
 * @param modelVersion the version, or null
 * @param input the features, or null
 * @param output the output, or null
 * @param probability the probability, or null
 * @param latencyMicros the latency in microseconds, or -1 when not given
 * @param user the user, or null
 */
public record PredictionRecord(long id, long timestampMillis, String modelVersion, Map<String, Object> input, Object output,
                               Double probability, long latencyMicros, String user) {
}
