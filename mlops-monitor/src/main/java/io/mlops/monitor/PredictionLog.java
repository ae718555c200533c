package io.mlops.monitor;

import java.time.Duration;
import java.util.Map;

/**
 * One prediction to log: from {@link ModelMonitor#prediction()}, ended by {@link #log()}. Not
 * thread-safe; one per prediction.
 *
 * @since 0.1.0
 */
public interface PredictionLog {

    /**
     * Sets the model's input; kept by reference until written (do not change it after logging).
     *
     * @param features the model's input; kept by reference until written (do not change it after
     *     logging)
     * @return this
     */
    PredictionLog input(Map<String, Object> features);

    /**
     * Sets the model's output: a label (string, number, boolean) or, for regression, a number.
     *
     * @param output the model's output: a label (string, number, boolean) or, for regression, a number
     * @return this
     */
    PredictionLog output(Object output);

    /**
     * Sets the model's confidence in its output, in [0, 1].
     *
     * @param probability the model's confidence in its output, in [0, 1]
     * @return this
     */
    PredictionLog probability(double probability);

    /**
     * Sets how long the prediction took.
     *
     * @param latency how long the prediction took
     * @return this
     */
    PredictionLog latency(Duration latency);

    /**
     * Sets the model version that answered.
     *
     * @param version the model version that answered
     * @return this
     */
    PredictionLog modelVersion(String version);

    /**
     * Sets who asked, for later analysis.
     *
     * @param user who asked, for later analysis
     * @return this
     */
    PredictionLog user(String user);

    /**
     * Sets the W3C trace id of the request the prediction answered (the prediction server sets it
     * from the request's span), so that the prediction can be found from the trace
     * ({@link ModelMonitor#predictionsOfTrace}) and the trace from the prediction
     * ({@link ModelMonitor#traceOf}).
     *
     * @param traceId 32 lowercase hexadecimal digits, not all zeros
     * @return this
     * @throws IllegalArgumentException when it is not a valid trace id
     * @since 0.1.0
     */
    PredictionLog traceId(String traceId);

    /**
     * Records the prediction: metrics are updated at once, the store write happens in the background.
     *
     * <p>The record is checked and serialised here, so that a record that could not be stored or
     * read back fails this call and never holds up the records of others: the input and the output
     * must be writable as JSON (no cycles, at most {@value io.mlops.core.Json#MAX_DEPTH} levels deep,
     * numbers of at most {@value io.mlops.core.Json#MAX_NUMBER_LENGTH} digits, at most 1,000,000
     * characters of JSON each); the model version and the user at most 256 characters without the
     * NUL character. The values are copied: changing the input map afterwards changes nothing.
     *
     * <p>It does not wait for the store: ids come from blocks reserved ahead (the next block is
     * reserved in the background, with retries, once half of the current one is used), and the
     * record is written by the monitor's writer thread, which retries a failed write. A store that
     * drops its connections therefore costs no prediction; only a store unreachable for as long as
     * half a block of predictions (5,000) takes to log makes this call reserve ids itself, retrying
     * for up to 10 s before it gives up.
     *
     * @return the prediction's id, unique across restarts of the same store; -1 when the queue was
     *     full and the policy is DROP
     * @throws IllegalArgumentException when the record breaks a limit above; nothing is logged then
     * @throws IllegalStateException when the monitor is closed
     * @throws io.mlops.core.StorageException only when no ids were reserved ahead and the store stayed
     *     unreachable through the retries; nothing is logged then
     */
    long log();
}
