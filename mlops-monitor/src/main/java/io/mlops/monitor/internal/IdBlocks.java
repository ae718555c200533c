package io.mlops.monitor.internal;

import io.mlops.core.StorageException;
import io.mlops.monitor.spi.MonitorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Prediction ids from blocks the store hands out, reserved ahead so that logging a prediction
 * never waits for the store: the first block is reserved when the monitor is built, and the next
 * one on a thread of its own ({@code mlops-monitor-ids}) as soon as half of the current one is
 * used, retried with a growing wait (50 ms doubling to 5 s) until it succeeds. Only when a whole
 * half-block of predictions is logged while the store stays unreachable does {@link #next()}
 * reserve itself, retrying for up to {@link #SYNC_TIMEOUT} before it throws. Thread-safe.
 */
final class IdBlocks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdBlocks.class);
    /** How long a caller waits for a reservation (the constructor's, and the fallback's in {@link #next()}). */
    static final java.time.Duration SYNC_TIMEOUT = java.time.Duration.ofSeconds(10);
    private static final long MAX_WAIT_MILLIS = 5_000;

    private final MonitorStore store;
    private final int blockSize;
    private final ExecutorService reserver;
    private long next; // guarded by this
    private long limit; // guarded by this
    private long ahead = -1; // a reserved block's first id, or -1; guarded by this
    private boolean reserving; // guarded by this
    private volatile boolean closed;

    IdBlocks(MonitorStore store, int blockSize) {
        this.store = store;
        this.blockSize = blockSize;
        this.next = reserveWaiting();
        this.limit = next + blockSize;
        this.reserver = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mlops-monitor-ids");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The next id.
     *
     * @throws StorageException only when no block was reserved ahead and the store stayed
     *     unreachable for {@link #SYNC_TIMEOUT}
     */
    synchronized long next() {
        if (next == limit) {
            if (ahead >= 0) {
                next = ahead;
                ahead = -1;
            } else {
                LOG.warn("No prediction ids were reserved ahead in {}; reserving now", store);
                next = reserveWaiting();
            }
            limit = next + blockSize;
        }
        if (ahead < 0 && !reserving && limit - next <= blockSize / 2) {
            reserving = true;
            try {
                reserver.execute(this::reserveAhead);
            } catch (RejectedExecutionException stopping) {
                reserving = false;
            }
        }
        return next++;
    }

    /** Reserves the next block in the background, retrying until it succeeds or the monitor closes. */
    private void reserveAhead() {
        long wait = 50;
        for (int attempt = 1; !closed; attempt++) {
            try {
                long first = store.reserveIds(blockSize);
                synchronized (this) {
                    ahead = first;
                    reserving = false;
                }
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot reserve prediction ids ahead in {} (attempt {}), retrying in {} ms: {}", store, attempt, wait,
                        e.toString());
            }
            if (!pause(wait)) {
                break;
            }
            wait = Math.min(MAX_WAIT_MILLIS, wait * 2);
        }
        synchronized (this) {
            reserving = false;
        }
    }

    /** Reserves a block, retrying for up to {@link #SYNC_TIMEOUT}; the caller waits. */
    private long reserveWaiting() {
        IOException last = null;
        long wait = 50;
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return store.reserveIds(blockSize);
            } catch (IOException e) {
                last = e;
                LOG.warn("Cannot reserve prediction ids in {} (attempt {}): {}", store, attempt, e.toString());
            }
            if (System.nanoTime() + wait * 1_000_000 - deadline > 0 || !pause(wait)) {
                break;
            }
            wait = Math.min(1_000, wait * 2);
        }
        throw new StorageException("Cannot reserve prediction ids in " + store + " within " + SYNC_TIMEOUT.toSeconds() + " s: "
                + (last == null ? "interrupted" : last.getMessage()), last);
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        reserver.shutdownNow();
        try {
            reserver.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
