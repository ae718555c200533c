package io.mlops.serving.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LoadFailuresTest {

    @Test
    void aFailedVersionIsTriedAgainAfterAWaitThatDoublesUpToTenMinutes() {
        LoadFailures probe = new LoadFailures(Duration.ofSeconds(5));
        long t = 0;
        assertThat(probe.mayTry("production", "2.0.0", t)).isTrue();
        probe.failed("production", "2.0.0", new OutOfMemoryError(), t);
        assertThat(probe.mayTry("production", "2.0.0", t + TimeUnit.SECONDS.toNanos(4))).isFalse();
        assertThat(probe.mayTry("production", "3.0.0", t + 1)).as("another version is tried at once").isTrue();
        assertThat(probe.mayTry("production", "2.0.0", t + TimeUnit.SECONDS.toNanos(5))).isTrue();
        t += TimeUnit.SECONDS.toNanos(5);
        probe.failed("production", "2.0.0", new OutOfMemoryError(), t);
        assertThat(probe.mayTry("production", "2.0.0", t + TimeUnit.SECONDS.toNanos(9))).isFalse();
        assertThat(probe.mayTry("production", "2.0.0", t + TimeUnit.SECONDS.toNanos(10))).isTrue();
        for (int i = 0; i < 30; i++) {
            probe.failed("production", "2.0.0", new OutOfMemoryError(), t);
        }
        assertThat(probe.current()).singleElement().satisfies(f -> {
            assertThat(f.get("attempts")).isEqualTo(32);
            assertThat(f.get("error")).isEqualTo("OutOfMemoryError");
        });
        assertThat(probe.mayTry("production", "2.0.0", t + TimeUnit.MINUTES.toNanos(10) - 1)).isFalse();
        assertThat(probe.mayTry("production", "2.0.0", t + TimeUnit.MINUTES.toNanos(10))).isTrue();
    }
}
