package io.mlops.parquet.internal;

import io.mlops.core.MlopsException;
import org.apache.datasketches.kll.KllDoublesSketch;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per column a KLL sketch and the moments (count, mean, sum of squared deviations, by Welford's
 * update) of the finite values one thread hands in row by row; the updates run on worker threads
 * (one per processor, each owning every {@code workers}-th column) in batches of
 * {@value #ROWS} rows, so that reading and sketching overlap. The thread that feeds it calls
 * {@link #add}, {@link #endRow} and {@link #finish}; then the results may be read. Not
 * thread-safe beyond that.
 */
final class ColumnSketches implements AutoCloseable {

    static final int ROWS = 8192;
    private static final int BATCHES = 6;

    /** A batch of rows, column by column: the finite values only. */
    private static final class Batch {
        final double[][] values;
        final int[] sizes;
        final AtomicInteger pending = new AtomicInteger();

        Batch(int columns) {
            values = new double[columns][ROWS];
            sizes = new int[columns];
        }
    }

    private static final Batch END = new Batch(0);

    private final int columns;
    private final KllDoublesSketch[] sketches;
    private final long[] counts;
    private final double[] means;
    private final double[] squares;
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<Batch>[] work;
    private final ExecutorService pool;
    private final Future<?>[] workers;
    private Batch filling;
    private int rows;

    @SuppressWarnings("unchecked")
    ColumnSketches(int columns, int k) {
        this.columns = columns;
        this.sketches = new KllDoublesSketch[columns];
        this.counts = new long[columns];
        this.means = new double[columns];
        this.squares = new double[columns];
        for (int j = 0; j < columns; j++) {
            sketches[j] = KllDoublesSketch.newHeapInstance(k);
        }
        for (int b = 0; b < BATCHES; b++) {
            free.add(new Batch(columns));
        }
        int n = Math.max(1, Math.min(columns, Runtime.getRuntime().availableProcessors()));
        AtomicInteger names = new AtomicInteger();
        pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "mlops-profile-sketch-" + names.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        work = new BlockingQueue[n];
        workers = new Future<?>[n];
        for (int w = 0; w < n; w++) {
            work[w] = new ArrayBlockingQueue<>(BATCHES + 1);
            int worker = w;
            workers[w] = pool.submit(() -> {
                work(worker, n);
                return null;
            });
        }
    }

    private void work(int worker, int of) throws InterruptedException {
        for (Batch b = work[worker].take(); b != END; b = work[worker].take()) {
            for (int j = worker; j < columns; j += of) {
                int size = b.sizes[j];
                double[] v = b.values[j];
                sketches[j].update(v, 0, size);
                long count = counts[j];
                double mean = means[j];
                double m2 = squares[j];
                for (int i = 0; i < size; i++) {
                    double delta = v[i] - mean;
                    mean += delta / ++count;
                    m2 += delta * (v[i] - mean);
                }
                counts[j] = count;
                means[j] = mean;
                squares[j] = m2;
            }
            if (b.pending.decrementAndGet() == 0) {
                java.util.Arrays.fill(b.sizes, 0);
                free.add(b);
            }
        }
    }

    /** Adds a column's value of the current row; non-finite values are left out. */
    void add(int column, double value) throws InterruptedException {
        if (filling == null) {
            filling = take();
        }
        if (Double.isFinite(value)) {
            filling.values[column][filling.sizes[column]++] = value;
        }
    }

    /** Ends the current row. */
    void endRow() throws InterruptedException {
        if (filling == null) {
            filling = take();
        }
        if (++rows == ROWS) {
            submit();
        }
    }

    private Batch take() throws InterruptedException {
        while (true) {
            Batch b = free.poll(100, TimeUnit.MILLISECONDS);
            if (b != null) {
                return b;
            }
            for (Future<?> w : workers) {
                if (w.isDone()) {
                    join(w);
                    throw new IllegalStateException("a sketching thread ended early");
                }
            }
        }
    }

    private void submit() throws InterruptedException {
        if (filling != null && rows > 0) {
            filling.pending.set(work.length);
            for (BlockingQueue<Batch> q : work) {
                q.put(filling);
            }
            filling = null;
        }
        rows = 0;
    }

    /** Hands in the last rows and waits until every value is in its sketch. */
    void finish() throws InterruptedException {
        submit();
        for (BlockingQueue<Batch> q : work) {
            q.put(END);
        }
        for (Future<?> w : workers) {
            join(w);
        }
    }

    /** Waits for a worker; its failure becomes the caller's. */
    private static void join(Future<?> worker) throws InterruptedException {
        try {
            worker.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new MlopsException("Sketching a column failed: " + e.getCause(), e.getCause());
        }
    }

    KllDoublesSketch sketch(int column) {
        return sketches[column];
    }

    long count(int column) {
        return counts[column];
    }

    /** The mean of the finite values, NaN without any. */
    double mean(int column) {
        return counts[column] == 0 ? Double.NaN : means[column];
    }

    /** The sample standard deviation of the finite values, NaN with fewer than two. */
    double std(int column) {
        return counts[column] < 2 ? Double.NaN : Math.sqrt(squares[column] / (counts[column] - 1));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
