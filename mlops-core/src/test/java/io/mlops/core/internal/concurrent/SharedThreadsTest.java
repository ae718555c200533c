package io.mlops.core.internal.concurrent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SharedThreadsTest {

    static long alive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    @Test
    void sharedThreadsAreDaemonsThatEndWhenIdle() throws Exception {
        ExecutorService fixed = SharedThreads.fixed("test-fixed", 2);
        ExecutorService unbounded = SharedThreads.unbounded("test-unbounded");
        boolean[] daemon = new boolean[2];
        fixed.submit(() -> daemon[0] = Thread.currentThread().isDaemon()).get(10, TimeUnit.SECONDS);
        unbounded.submit(() -> daemon[1] = Thread.currentThread().isDaemon()).get(10, TimeUnit.SECONDS);
        assertThat(daemon).containsExactly(true, true);
        assertThat(alive("test-fixed") + alive("test-unbounded")).isPositive();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (alive("test-fixed") + alive("test-unbounded") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(alive("test-fixed") + alive("test-unbounded")).as("threads left after they were idle").isZero();
        // and the pools still work afterwards
        assertThat(fixed.submit(() -> 42).get(10, TimeUnit.SECONDS)).isEqualTo(42);
    }
}
