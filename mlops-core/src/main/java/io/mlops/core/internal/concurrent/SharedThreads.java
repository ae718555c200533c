package io.mlops.core.internal.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The library's shared worker pools, which do not linger: their daemon threads end after a second
 * without work, so that an application (or {@code mvn exec:java}) ends as soon as its own work is
 * done, and nothing needs closing. Thread-safe.
 *
 * @since 0.1.0
 */
public final class SharedThreads {

    /** How long an idle shared thread waits for work before it ends. */
    static final long IDLE_MILLIS = 1_000;

    private SharedThreads() {
    }

    /**
     * A pool of at most {@code threads} daemon threads that queues work beyond them.
     *
     * @param name the threads' name prefix, e.g. {@code "mlops-csv"}
     * @param threads the most threads at once, {@code >= 1}
     * @return the pool; no need to shut it down
     */
    public static ExecutorService fixed(String name, int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_MILLIS, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemons(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * A pool that starts a daemon thread per task when none is idle (for tasks that block, such as a
     * writer fed by a reader).
     *
     * @param name the threads' name prefix
     * @return the pool; no need to shut it down
     */
    public static ExecutorService unbounded(String name) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_MILLIS, TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
                daemons(name));
    }

    private static java.util.concurrent.ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
