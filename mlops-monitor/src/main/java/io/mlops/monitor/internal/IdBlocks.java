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
 * used, retried with a growing wait (50 ms doubling to 5 s) until it succeeds. When a burst uses
 * the rest of a block before that reservation is back (a store busy with the burst's own writes),
 * {@link #next()} waits for it rather than reserving beside it on the caller's thread, and the
 * blocks double (up to {@value #MAX_BLOCK}) so that the next reservation starts further ahead.
 * Only when no reservation is under way does {@link #next()} reserve itself, retrying for up to
 * {@link #SYNC_TIMEOUT} before it throws. Thread-safe.
 */
final class IdBlocks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdBlocks.class);
    /** How long a caller waits for a reservation (the constructor's, and the fallback's in {@link #next()}). */
    static final java.time.Duration SYNC_TIMEOUT = java.time.Duration.ofSeconds(10);
    private static final long MAX_WAIT_MILLIS = 5_000;
    /** The largest block a burst grows the reservations to. */
    static final int MAX_BLOCK = 1_000_000;

    private final MonitorStore store;
    private int blockSize; // for the next reservation; guarded by this
    private long aheadSize; // the reserved block's length; guarded by this
    private long blockLength; // the current block's length; guarded by this
    private final ExecutorService reserver;
    private long next; // guarded by this
    private long limit; // guarded by this
    private long ahead = -1; // a reserved block's first id, or -1; guarded by this
    private boolean reserving; // guarded by this
    private volatile boolean closed;

    IdBlocks(MonitorStore store, int blockSize) {
        this.store = store;
        this.blockSize = blockSize;
        this.next = reserveWaiting(blockSize);
        this.limit = next + blockSize;
        this.blockLength = blockSize;
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
            if (ahead < 0 && reserving) {
                awaitAhead();
            }
            if (ahead >= 0) {
                next = ahead;
                limit = ahead + aheadSize;
                blockLength = aheadSize;
                ahead = -1;
            } else {
                LOG.warn("No prediction ids were reserved ahead in {}; reserving now", store);
                int n = blockSize;
                next = reserveWaiting(n);
                limit = next + n;
                blockLength = n;
            }
        }
        if (ahead < 0 && !reserving && limit - next <= blockLength / 2) {
            reserving = true;
            try {
                reserver.execute(this::reserveAhead);
            } catch (RejectedExecutionException stopping) {
                reserving = false;
            }
        }
        return next++;
    }

    /**
     * The block ran out while its successor is being reserved: waits for that reservation (up to
     * {@link #SYNC_TIMEOUT}; a store that stays unreachable lets {@link #next()} try itself), and
     * doubles the blocks, so that a burst like this one finds the next block reserved.
     */
    private void awaitAhead() {
        blockSize = (int) Math.min(MAX_BLOCK, 2L * blockSize);
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        boolean interrupted = false;
        while (ahead < 0 && reserving && !closed) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reserves the next block in the background, retrying until it succeeds or the monitor closes. */
    private void reserveAhead() {
        long wait = 50;
        for (int attempt = 1; !closed; attempt++) {
            int n;
            synchronized (this) {
                n = blockSize;
            }
            try {
                long first = store.reserveIds(n);
                synchronized (this) {
                    ahead = first;
                    aheadSize = n;
                    reserving = false;
                    notifyAll();
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
            notifyAll();
        }
    }

    /** Reserves a block, retrying for up to {@link #SYNC_TIMEOUT}; the caller waits. */
    private long reserveWaiting(int count) {
        IOException last = null;
        long wait = 50;
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return store.reserveIds(count);
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
