package io.mlops.monitor.internal;

import java.time.Duration;

/**
 * The monitor's windows: a window is a whole number of minute buckets ending with the current
 * minute's; a timeline cuts one into equal steps of whole minutes, oldest first.
 */
final class MetricWindows {

    static final int MAX_STEPS = 1_440;

    private MetricWindows() {
    }

    /**
     * The bucket-aligned {@code [from, to)} of a window ending with the current minute.
     *
     * @throws IllegalArgumentException when the window is not positive
     */
    static long[] of(long nowMillis, Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive but was " + window);
        }
        long end = Aggregates.bucketOf(nowMillis) + Aggregates.BUCKET_MILLIS;
        long buckets = Math.max(1, (window.toMillis() + Aggregates.BUCKET_MILLIS - 1) / Aggregates.BUCKET_MILLIS);
        return new long[] {end - buckets * Aggregates.BUCKET_MILLIS, end};
    }

    /**
     * The starts of a timeline's steps, oldest first; each step lasts {@code step}.
     *
     * @throws IllegalArgumentException when the step is not a whole number of minutes, or the window not 1 to
     *     {@value #MAX_STEPS} steps
     */
    static long[] stepStarts(long nowMillis, Duration window, Duration step) {
        long stepMillis = step.toMillis();
        if (stepMillis < Aggregates.BUCKET_MILLIS || stepMillis % Aggregates.BUCKET_MILLIS != 0) {
            throw new IllegalArgumentException("step must be a whole number of minutes but was " + step);
        }
        if (window.toMillis() <= 0 || window.toMillis() % stepMillis != 0 || window.toMillis() / stepMillis > MAX_STEPS) {
            throw new IllegalArgumentException("window must be 1 to 1,440 steps of " + step + " but was " + window);
        }
        int steps = (int) (window.toMillis() / stepMillis);
        long end = Aggregates.bucketOf(nowMillis) + Aggregates.BUCKET_MILLIS;
        long[] starts = new long[steps];
        for (int i = 0; i < steps; i++) {
            starts[i] = end - (steps - i) * stepMillis;
        }
        return starts;
    }
}
