package io.mlops.core.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waits for an event in a test: polls a condition until it holds, failing with what was awaited
 * only after a generous deadline — an event, not a duration, is asserted (machines are shared).
 */
public final class Eventually {

    private Eventually() {
    }

    /**
     * @param what what is awaited, for the failure's message
     * @param deadline how long at most; generous (a minute or more)
     * @param condition polled every 20 ms
     * @throws Exception when the condition throws, or the thread is interrupted
     */
    public static void await(String what, Duration deadline, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within " + deadline + ": " + what);
            }
            Thread.sleep(20);
        }
    }
}
