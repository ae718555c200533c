package io.mlops.serving;

import java.time.Duration;
import java.util.Objects;

/**
 * Dynamic batching: concurrent single-instance predictions to one model run as one batch call
 * ({@link Predictor#predictBatch}: one tensor call for ONNX) and are answered separately. At most
 * {@code runners} batches run at once (default: the available processors); a request that arrives
 * while they all run joins the batch waiting for the next runner, so batches grow with the load
 * and a lone request waits for nothing. {@link #maxDelay} adds a wait for companions before a
 * batch runs (default zero); with {@link #p99Budget} the wait adapts, halved while the recent 99th
 * percentile of request latency is over the budget, grown again while it is well under. A failing
 * instance fails only its own request: a batch that throws is run again one instance at a time.
 *
 * <pre>{@code
 * ModelServer.builder().predictor(model).batching(Batching.dynamic().maxSize(64).maxDelay(Duration.ofMillis(2)))
 * Predictor batched = Batching.dynamic().wrap(model);                       // in process
 * }</pre>
 *
 * <p>Immutable: each setter returns a copy.
 *
 * @since 0.1.0
 */
public final class Batching {

    private final int maxSize;
    private final Duration maxDelay;
    private final Duration p99Budget;
    private final int runners;

    private Batching(int maxSize, Duration maxDelay, Duration p99Budget, int runners) {
        this.maxSize = maxSize;
        this.maxDelay = maxDelay;
        this.p99Budget = p99Budget;
        this.runners = runners;
    }

    /**
     * Batching with batches of at most 32, no added wait, as many runners as processors.
     *
     * @return the settings
     */
    public static Batching dynamic() {
        return new Batching(32, Duration.ZERO, null, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @param size the most instances in one batch, 2 to 4,096
     * @return a copy with it
     */
    public Batching maxSize(int size) {
        if (size < 2 || size > 4_096) {
            throw new IllegalArgumentException("a batch's size is 2 to 4,096, not " + size);
        }
        return new Batching(size, maxDelay, p99Budget, runners);
    }

    /**
     * @param delay how long a batch may wait for companions before it runs, 0 to 100 ms
     * @return a copy with it
     */
    public Batching maxDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.compareTo(Duration.ofMillis(100)) > 0) {
            throw new IllegalArgumentException("a batch's delay is 0 to 100 ms, not " + delay);
        }
        return new Batching(maxSize, delay, p99Budget, runners);
    }

    /**
     * @param budget the 99th percentile of request latency the wait adapts to (positive)
     * @return a copy with it
     */
    public Batching p99Budget(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("a latency budget is positive");
        }
        return new Batching(maxSize, maxDelay, budget, runners);
    }

    /**
     * @param count batches run at once, 1 to 256
     * @return a copy with it
     */
    public Batching runners(int count) {
        if (count < 1 || count > 256) {
            throw new IllegalArgumentException("runners are 1 to 256, not " + count);
        }
        return new Batching(maxSize, maxDelay, p99Budget, count);
    }

    /** @return the most instances in one batch */
    public int maxSize() {
        return maxSize;
    }

    /** @return the longest wait for companions */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** @return the latency budget the wait adapts to, or null */
    public Duration p99Budget() {
        return p99Budget;
    }

    /** @return batches run at once */
    public int runners() {
        return runners;
    }

    /**
     * A predictor that batches concurrent single-instance predictions to this one (thread-safe;
     * closing it closes the model when the model is {@link AutoCloseable}).
     *
     * @param model the model
     * @return the batching predictor
     */
    public Predictor wrap(Predictor model) {
        return new io.mlops.serving.internal.DynamicBatcher(model, this);
    }

    @Override
    public String toString() {
        return "Batching[maxSize=" + maxSize + ", maxDelay=" + maxDelay + ", p99Budget=" + p99Budget + ", runners=" + runners + "]";
    }
}
