package io.mlops.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A UTC clock that moves only when told: for tests of time-windowed behaviour (metrics windows,
 * alert rules, alias histories) and for replaying hours of traffic in seconds. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ManualClock extends Clock {

    private final AtomicReference<Instant> now;

    /**
     * Creates the manual clock.
     *
     * @param start the first instant
     */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    /**
     * Moves the clock forward.
     *
     * @param duration how far, not negative
     * @return the new instant
     */
    public Instant advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock moves forward: duration was " + duration);
        }
        return now.updateAndGet(t -> t.plus(duration));
    }

    /**
     * Sets the clock.
     *
     * @param instant the new instant
     */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }
}
