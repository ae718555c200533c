package io.mlops.serving.internal;

import io.mlops.serving.Batching;
import io.mlops.serving.Explainer;
import io.mlops.serving.FeatureSchema;
import io.mlops.serving.Prediction;
import io.mlops.serving.Predictor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Batching}'s predictor. The first request of a batch leads it: it waits for companions up
 * to the current delay while the batch is not full (holding no runner), then takes a runner
 * (waiting while all run; meanwhile others join its batch, up to the size), seals the batch and
 * runs it on its own thread; the others wait for their slot. Multi-instance calls pass through (they are a batch already).
 *
 * <p>Thread-safe.
 */
public final class DynamicBatcher implements Predictor, AutoCloseable {

    /** One request's place in a batch. */
    private static final class Slot {
        final Map<String, Object> instance;
        final CountDownLatch done = new CountDownLatch(1);
        Prediction result;
        RuntimeException error;

        Slot(Map<String, Object> instance) {
            this.instance = instance;
        }
    }

    private static final class Batch {
        final List<Slot> slots = new ArrayList<>();
        boolean sealed;
    }

    private static final int WINDOW = 256;

    private final Predictor model;
    private final Batching settings;
    private final Semaphore runners;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Batch open; // guarded by lock
    private volatile long delayNanos;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong batched = new AtomicLong();
    private final long[] latencies = new long[WINDOW]; // guarded by itself
    private int latencyCount; // guarded by latencies

    public DynamicBatcher(Predictor model, Batching settings) {
        this.model = java.util.Objects.requireNonNull(model, "model");
        this.settings = settings;
        this.runners = new Semaphore(settings.runners(), true);
        this.delayNanos = settings.maxDelay().toNanos();
    }

    @Override
    public Prediction predict(Map<String, Object> features) {
        long started = System.nanoTime();
        Slot slot = new Slot(features);
        Batch batch;
        boolean leader;
        lock.lock();
        try {
            leader = open == null;
            if (leader) {
                open = new Batch();
            }
            batch = open;
            batch.slots.add(slot);
            if (batch.slots.size() >= settings.maxSize()) {
                seal(batch);
            }
        } finally {
            lock.unlock();
        }
        if (leader) {
            lead(batch);
        } else {
            awaitUninterruptibly(slot);
        }
        record(System.nanoTime() - started);
        if (slot.error != null) {
            throw slot.error;
        }
        return slot.result;
    }

    private void seal(Batch batch) {
        batch.sealed = true;
        if (open == batch) {
            open = null;
        }
        changed.signalAll();
    }

    private void lead(Batch batch) {
        // wait for companions first, without a runner (the model is free for other batches meanwhile) ...
        lock.lock();
        try {
            long wait = delayNanos;
            long deadline = System.nanoTime() + wait;
            while (!batch.sealed && wait > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        // ... then take a runner; while all run, more requests join this batch, up to its size
        runners.acquireUninterruptibly();
        try {
            lock.lock();
            try {
                seal(batch);
            } finally {
                lock.unlock();
            }
            run(batch.slots);
        } finally {
            runners.release();
        }
    }

    /** Runs the batch; if it throws, each instance alone, so that a bad one fails only its request. */
    private void run(List<Slot> slots) {
        batches.incrementAndGet();
        batched.addAndGet(slots.size());
        if (slots.size() > 1) {
            try {
                List<Map<String, Object>> instances = new ArrayList<>(slots.size());
                slots.forEach(s -> instances.add(s.instance));
                List<Prediction> out = model.predictBatch(instances);
                if (out.size() == slots.size()) {
                    for (int i = 0; i < slots.size(); i++) {
                        slots.get(i).result = out.get(i);
                        slots.get(i).done.countDown();
                    }
                    return;
                }
            } catch (RuntimeException batchFailed) {
                // one instance may be bad: each alone below
            }
        }
        for (Slot s : slots) {
            try {
                s.result = model.predict(s.instance);
            } catch (RuntimeException e) {
                s.error = e;
            }
            s.done.countDown();
        }
    }

    private static void awaitUninterruptibly(Slot slot) {
        boolean interrupted = false;
        while (true) {
            try {
                slot.done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the batch answers anyway: the caller's answer is on its way
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the recent latencies; with a budget, adapts the delay every {@value #WINDOW} requests. */
    private void record(long nanos) {
        if (settings.p99Budget() == null) {
            return;
        }
        long[] window = null;
        synchronized (latencies) {
            latencies[latencyCount++] = nanos;
            if (latencyCount == WINDOW) {
                window = latencies.clone();
                latencyCount = 0;
            }
        }
        if (window != null) {
            java.util.Arrays.sort(window);
            long p99 = window[(int) Math.ceil(0.99 * WINDOW) - 1];
            long budget = settings.p99Budget().toNanos();
            long max = settings.maxDelay().toNanos();
            if (p99 > budget) {
                delayNanos = delayNanos / 2;
            } else if (p99 < budget * 8 / 10) {
                delayNanos = Math.min(max, Math.max(delayNanos * 2, 50_000));
            }
        }
    }

    @Override
    public List<Prediction> predictBatch(List<Map<String, Object>> instances) {
        return model.predictBatch(instances);
    }

    @Override
    public List<Prediction> predictTensors(io.mlops.serving.TensorBatch batch) {
        return batch.rows() == 1 ? List.of(predict(batch.instances().get(0))) : model.predictTensors(batch);
    }

    @Override
    public Optional<FeatureSchema> schema() {
        return model.schema();
    }

    @Override
    public String labelDatatype() {
        return model.labelDatatype();
    }

    @Override
    public String type() {
        return model.type();
    }

    @Override
    public Explainer explainer(List<Map<String, Object>> background) {
        return model.explainer(background);
    }

    /** What {@code /model_info} shows: the settings, the current delay, batches run and their mean size. */
    public Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("max_size", settings.maxSize());
        out.put("max_delay_us", settings.maxDelay().toNanos() / 1_000);
        out.put("delay_us", delayNanos / 1_000);
        if (settings.p99Budget() != null) {
            out.put("p99_budget_us", settings.p99Budget().toNanos() / 1_000);
        }
        out.put("runners", settings.runners());
        long b = batches.get();
        out.put("batches", b);
        out.put("mean_batch_size", b == 0 ? 0.0 : (double) batched.get() / b);
        return out;
    }

    /**
     * The batchers' Prometheus series ({@code mlops_batches_total}, {@code mlops_batched_requests_total},
     * {@code mlops_batch_delay_seconds}), by model version; empty without batchers.
     */
    static String render(Map<String, DynamicBatcher> byVersion) {
        if (byVersion.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        b.append("# HELP mlops_batches_total Model calls the dynamic batcher made.\n# TYPE mlops_batches_total counter\n");
        byVersion.forEach((v, d) -> b.append("mlops_batches_total{model_version=\"").append(PrometheusMetrics.escape(v)).append("\"} ")
                .append(d.batches.get()).append('\n'));
        b.append("# HELP mlops_batched_requests_total Requests answered through the dynamic batcher.\n"
                + "# TYPE mlops_batched_requests_total counter\n");
        byVersion.forEach((v, d) -> b.append("mlops_batched_requests_total{model_version=\"").append(PrometheusMetrics.escape(v)).append("\"} ")
                .append(d.batched.get()).append('\n'));
        b.append("# HELP mlops_batch_delay_seconds The dynamic batcher's current wait for companions.\n"
                + "# TYPE mlops_batch_delay_seconds gauge\n");
        byVersion.forEach((v, d) -> b.append("mlops_batch_delay_seconds{model_version=\"").append(PrometheusMetrics.escape(v)).append("\"} ")
                .append(d.delayNanos / 1e9).append('\n'));
        return b.toString();
    }

    @Override
    public void close() throws Exception {
        if (model instanceof AutoCloseable c) {
            c.close();
        }
    }

    @Override
    public String toString() {
        return "DynamicBatcher[" + model + ", " + settings + "]";
    }
}
