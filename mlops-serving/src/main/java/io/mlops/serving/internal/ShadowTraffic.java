package io.mlops.serving.internal;

import io.mlops.monitor.ModelMonitor;
import io.mlops.serving.Prediction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies of live requests run on the shadow deployment on a thread of their own, behind a bounded
 * queue: a full queue drops the copy (counted), a slow or failing shadow never touches the live
 * response. Shadow predictions are logged to the monitor under the shadow's version; their labels are
 * compared with the live ones. Thread-safe.
 */
final class ShadowTraffic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowTraffic.class);
    static final int QUEUE = 1_000;

    private final Deployments deployments;
    private final ModelMonitor monitor;
    private final ThreadPoolExecutor executor;
    private final AtomicLong mirrored = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong compared = new AtomicLong();
    private final AtomicLong agreed = new AtomicLong();

    ShadowTraffic(Deployments deployments, ModelMonitor monitor) {
        this.deployments = deployments;
        this.monitor = monitor;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "mlops-serving-shadow");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a copy of a live request and its answers; returns at once. */
    void mirror(List<Map<String, Object>> instances, List<Prediction> live) {
        Deployments.Deployed shadow = deployments.shadow();
        if (shadow == null) {
            return;
        }
        try {
            executor.execute(() -> run(shadow, instances, live));
        } catch (RejectedExecutionException full) {
            dropped.addAndGet(instances.size());
        }
    }

    private void run(Deployments.Deployed shadow, List<Map<String, Object>> instances, List<Prediction> live) {
        long started = System.nanoTime();
        List<Prediction> answers;
        try {
            answers = instances.size() == 1 ? List.of(shadow.predictor().predict(instances.get(0)))
                    : shadow.predictor().predictBatch(instances);
            if (answers == null || answers.size() != instances.size()) {
                throw new IllegalStateException("the shadow returned " + (answers == null ? "null" : answers.size())
                        + " predictions for " + instances.size() + " instances");
            }
        } catch (RuntimeException | Error e) {
            failed.addAndGet(instances.size());
            if (monitor != null) {
                try {
                    monitor.error(shadow.version(), "shadow: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                } catch (RuntimeException logging) {
                    LOG.warn("Could not log a shadow error to the monitor: {}", logging.toString());
                }
            }
            return;
        }
        mirrored.addAndGet(instances.size());
        Duration each = Duration.ofNanos((System.nanoTime() - started) / instances.size());
        for (int i = 0; i < instances.size(); i++) {
            Prediction p = answers.get(i);
            compared.incrementAndGet();
            if (Objects.equals(String.valueOf(p.label()), String.valueOf(live.get(i).label()))) {
                agreed.incrementAndGet();
            }
            if (monitor != null) {
                try {
                    var log = monitor.prediction().input(instances.get(i)).output(p.label()).latency(each)
                            .modelVersion(shadow.version());
                    if (p.score() != null && p.score() >= 0 && p.score() <= 1) {
                        log.probability(p.score());
                    }
                    log.log();
                } catch (RuntimeException logging) {
                    LOG.warn("Could not log a shadow prediction to the monitor: {}", logging.toString());
                }
            }
        }
    }

    /** What {@code /model_info} shows: the shadow, how much went to it, and how often it agreed. */
    Map<String, Object> stats() {
        Deployments.Deployed shadow = deployments.shadow();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alias", deployments.shadowAlias());
        out.put("version", shadow == null ? null : shadow.version());
        out.put("mirrored", mirrored.get());
        out.put("dropped", dropped.get());
        out.put("failed", failed.get());
        long n = compared.get();
        out.put("agreement", n == 0 ? null : (double) agreed.get() / n);
        return out;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
