package io.mlops.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the example moves forward by hand, to replay hours of traffic in seconds. Thread-safe. */
public final class SimulatedClock extends Clock {

    private volatile Instant now;

    /** @param start the first instant */
    public SimulatedClock(Instant start) {
        this.now = start;
    }

    /** @param duration how far to move */
    public void advance(Duration duration) {
        now = now.plus(duration);
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
        return now;
    }
}
