package io.mlops.monitor.internal;

import io.mlops.core.MlopsException;
import io.mlops.core.StorageException;
import io.mlops.monitor.QueuePolicy;
import io.mlops.monitor.spi.ErrorRecord;
import io.mlops.monitor.spi.FeedbackRecord;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.monitor.spi.PredictionRecord;
import io.mlops.monitor.spi.RecordRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The monitor's write-behind queue: callers {@link #offer} records, one writer thread
 * ({@code mlops-monitor-writer}) stores them in batches of up to {@value #BATCH}, one transaction
 * each.
 *
 * <p><b>Damage stays with the record.</b> A batch the store refuses for its data
 * ({@link RecordRejectedException}, or a runtime exception from the store) is split in halves and
 * each half written on its own, down to single records: every good record is stored, and a record
 * the store still refuses is set aside, counted ({@link #rejected()}) and logged, never retried.
 * Any other failure (a lost connection, a full disk) says nothing about the records: the same part
 * is retried, with a back-off from 100 ms to 5 s, until it is stored or the queue is closed.
 */
final class WriteBehind implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WriteBehind.class);
    static final int BATCH = 10_000;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final int ATTEMPTS_AFTER_CLOSE = 3;

    private final MonitorStore store;
    private final QueuePolicy policy;
    private final Consumer<Queued.Data> settled;
    private final BlockingQueue<Queued> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Thread writer;
    private final Object wakeup = new Object();
    private final long stallNanos;
    private volatile boolean closing;
    /** When the store began failing without a write since, or 0; with its last error. */
    private volatile long failingSince;
    private volatile long lastFailedAt;
    private volatile IOException lastFailure;

    /**
     * Creates the write behind.
     *
     * @param store where records go
     * @param capacity the queue's capacity
     * @param policy what a full queue does
     * @param settled called on the writer thread for each record once it is stored or set aside
     * @param stallTimeout how long the store may fail without a write before {@link #flush()} gives up
     */
    WriteBehind(MonitorStore store, int capacity, QueuePolicy policy, Consumer<Queued.Data> settled,
                java.time.Duration stallTimeout) {
        this.stallNanos = stallTimeout.toNanos();
        this.store = store;
        this.policy = policy;
        this.settled = settled;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::run, "mlops-monitor-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues a record: waits for room under {@link QueuePolicy#BLOCK}, gives up under
     * {@link QueuePolicy#DROP}.
     *
     * @param record the record
     * @return {@code false} when it was dropped
     */
    boolean offer(Queued.Data record) {
        if (policy == QueuePolicy.DROP) {
            if (!queue.offer(record)) {
                dropped.incrementAndGet();
                return false;
            }
            return true;
        }
        try {
            queue.put(record);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlopsException("Interrupted while waiting for room in the monitor's write queue", e);
        }
    }

    /**
     * Waits until every record queued before the call is stored or set aside; gives up, throwing,
     * once the store has failed for the stall timeout without a successful write.
     */
    void flush() {
        Queued.Flush marker = new Queued.Flush();
        long started = System.nanoTime();
        try {
            while (!queue.offer(marker, 100, TimeUnit.MILLISECONDS)) {
                checkStalled(started);
            }
            while (true) {
                try {
                    marker.done().get(100, TimeUnit.MILLISECONDS);
                    return;
                } catch (java.util.concurrent.TimeoutException waiting) {
                    checkStalled(started);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlopsException("Interrupted while flushing the monitor", e);
        } catch (ExecutionException e) {
            throw new StorageException("Monitor flush failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Throws when the store has kept failing, without a write, for the stall timeout of this flush's
     * wait, and failed again during it (a writer waiting out a back-off gets its retry first).
     */
    private void checkStalled(long flushStarted) {
        long since = failingSince;
        if (since != 0 && lastFailedAt - flushStarted >= 0 && System.nanoTime() - Math.max(since, flushStarted) >= stallNanos) {
            IOException last = lastFailure;
            throw new StorageException("The monitor store " + store + " has failed for "
                    + java.time.Duration.ofNanos(System.nanoTime() - since).toSeconds() + " s without storing anything ("
                    + (last == null ? "no error kept" : last.getMessage()) + "); " + queue.size() + " records stay queued and"
                    + " are retried", last);
        }
    }

    /** When the store began failing without a write since (System.nanoTime), or 0 when it is not failing. */
    long failingSince() {
        return failingSince;
    }

    /**
     * @return records dropped because the queue was full
     */
    /** Records queued and not yet taken by the writer. */
    int depth() {
        return queue.size();
    }

    long dropped() {
        return dropped.get();
    }

    /**
     * @return records the store refused, set aside
     */
    long rejected() {
        return rejected.get();
    }

    private void run() {
        List<Queued> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only stop() after a timeout interrupts; keep draining
            }
            queue.drainTo(batch, BATCH - 1);
            List<Queued.Data> data = new ArrayList<>(batch.size());
            List<Queued.Flush> flushes = new ArrayList<>();
            boolean stop = false;
            for (Queued q : batch) {
                if (q instanceof Queued.Data d) {
                    data.add(d);
                } else if (q instanceof Queued.Flush f) {
                    flushes.add(f);
                } else {
                    stop = true;
                }
            }
            batch.clear();
            IOException failure = data.isEmpty() ? null : store(data);
            for (Queued.Flush f : flushes) {
                if (failure == null) {
                    f.done().complete(null);
                } else {
                    f.done().completeExceptionally(failure);
                }
            }
            if (stop) {
                return;
            }
        }
    }

    /**
     * @return null when every record was stored or set aside, else the failure that made us give up
     */
    private IOException store(List<Queued.Data> records) {
        Deque<List<Queued.Data>> parts = new ArrayDeque<>();
        parts.push(records);
        int attempt = 0;
        while (!parts.isEmpty()) {
            List<Queued.Data> part = parts.peek();
            try {
                write(part);
                parts.pop();
                part.forEach(settled);
                attempt = 0;
                failingSince = 0;
            } catch (RecordRejectedException | RuntimeException e) {
                parts.pop();
                if (part.size() == 1) {
                    setAside(part.get(0), e);
                } else {
                    int half = part.size() / 2;
                    parts.push(part.subList(half, part.size()));
                    parts.push(part.subList(0, half));
                }
            } catch (IOException e) {
                attempt++;
                lastFailure = e;
                lastFailedAt = System.nanoTime();
                if (failingSince == 0) {
                    failingSince = System.nanoTime() | 1; // never 0 while failing
                }
                if (closing && attempt >= ATTEMPTS_AFTER_CLOSE) {
                    int lost = parts.stream().mapToInt(List::size).sum();
                    LOG.error("Monitor store {} still failing after {} attempts at close; {} records were not stored: {}",
                            store, attempt, lost, e.toString());
                    return new IOException("monitor store write failed: " + e.getMessage(), e);
                }
                long backoff = Math.min(MAX_BACKOFF_MILLIS, 100L << Math.min(attempt - 1, 6));
                LOG.warn("Monitor store write of {} records failed (attempt {}), retrying in {} ms: {}", part.size(), attempt,
                        backoff, e.toString());
                sleep(backoff);
            }
        }
        return null;
    }

    private void write(List<Queued.Data> part) throws IOException {
        List<PredictionRecord> predictions = new ArrayList<>();
        List<FeedbackRecord> feedback = new ArrayList<>();
        List<ErrorRecord> errors = new ArrayList<>();
        for (Queued.Data d : part) {
            if (d instanceof Queued.Prediction p) {
                predictions.add(p.record());
            } else if (d instanceof Queued.Feedback f) {
                feedback.add(f.record());
            } else if (d instanceof Queued.Failure f) {
                errors.add(f.record());
            }
        }
        store.write(predictions, feedback, errors);
    }

    private void setAside(Queued.Data record, Exception why) {
        rejected.incrementAndGet();
        LOG.error("Monitor store {} refused {}; it is set aside and not retried: {}", store, describe(record), why.toString());
        settled.accept(record);
    }

    private static String describe(Queued.Data d) {
        if (d instanceof Queued.Prediction p) {
            return "prediction " + p.record().id();
        }
        if (d instanceof Queued.Feedback f) {
            return "feedback for prediction " + f.record().predictionId();
        }
        return "an error record of version " + ((Queued.Failure) d).record().modelVersion();
    }

    /** Waits out a back-off; {@link #stop} cuts it short (no interrupt, which some stores do not survive). */
    private void sleep(long millis) {
        synchronized (wakeup) {
            try {
                wakeup.wait(closing ? Math.min(millis, 200) : millis);
            } catch (InterruptedException e) {
                // our own thread: nothing else to tell
            }
        }
    }

    /**
     * Stores what is queued and stops the writer; gives a failing store three more attempts.
     *
     * @return {@code true} when the writer ended in time
     */
    boolean stop(long timeoutMillis) {
        synchronized (wakeup) {
            closing = true;
            wakeup.notifyAll();
        }
        try {
            queue.put(Queued.Stop.INSTANCE);
            writer.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.error("The monitor's writer did not finish within {} ms; {} queued records were not stored", timeoutMillis,
                    queue.size());
            writer.interrupt();
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        stop(TimeUnit.MINUTES.toMillis(2));
    }
}
