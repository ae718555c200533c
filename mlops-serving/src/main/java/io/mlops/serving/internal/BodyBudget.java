package io.mlops.serving.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all request bodies being received may take together: each body reserves its blocks
 * as they are allocated, and gives them back when its request ends. A reservation that would pass
 * the budget fails, and that request is answered 503, so that many clients each sending part of a
 * large body cannot together exhaust the heap. Thread-safe.
 */
final class BodyBudget {

    private final long max;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(long max) {
        this.max = max;
    }

    /** Reserves bytes; false (nothing reserved) when that would pass the budget. */
    boolean reserve(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > max) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    /** The bytes reserved now. */
    long held() {
        return held.get();
    }

    long max() {
        return max;
    }
}
