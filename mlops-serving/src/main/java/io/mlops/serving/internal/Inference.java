package io.mlops.serving.internal;

import io.mlops.monitor.ModelMonitor;
import io.mlops.serving.FeatureSchema;
import io.mlops.serving.Prediction;
import io.mlops.serving.Predictor;
import io.mlops.serving.TensorBatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one path every inference takes, whatever endpoint it came by ({@code /predict},
 * {@code /batch_predict}, the Open Inference Protocol): check the rows against the schema, run the
 * predictor, then log the answers (the monitor, the canary analysis, the shadow). Thread-safe.
 */
final class Inference {

    /** The rows of one request, as its endpoint read them. */
    interface Rows {
        /** How many rows. */
        int size();

        /** The rows as feature maps, for the monitor and the shadow (a view whose maps may be made when read). */
        List<Map<String, Object>> instances();

        /** Checks the rows against a schema; 400 naming the field at fault. */
        void check(FeatureSchema schema) throws HttpError;

        /** Runs the predictor on rows [from, to). */
        List<Prediction> predict(Predictor p, int from, int to);
    }

    /**
     * What a run gave.
     *
     * @param predictions one per row, in order
     * @param ids the monitor's prediction ids, or null without a monitor
     * @param nanos the time from the request's start to the predictions (before logging)
     */
    record Ran(List<Prediction> predictions, List<Long> ids, long nanos) {
    }

    private final ServerSettings s;
    private final ShadowTraffic shadow; // null without a shadow
    private final CanaryController canary; // null without a canary analysis

    Inference(ServerSettings settings, ShadowTraffic shadow, CanaryController canary) {
        this.s = settings;
        this.shadow = shadow;
        this.canary = canary;
    }

    /** The server's schema, else the deployment's own, or null. */
    FeatureSchema schema(Deployments.Deployed d) {
        return s.schema() != null ? s.schema() : d.predictor().schema().orElse(null);
    }

    /** Checks, runs (in batches of {@code batchSize}) and logs the rows on a deployment. */
    Ran run(Deployments.Deployed d, Rows rows, int batchSize, long started) throws HttpError {
        rows.check(schema(d));
        List<Prediction> predictions = new ArrayList<>(rows.size());
        for (int from = 0; from < rows.size(); from += batchSize) {
            int to = Math.min(rows.size(), from + batchSize);
            List<Prediction> part;
            try {
                part = rows.predict(d.predictor(), from, to);
            } catch (RuntimeException e) {
                throw new ModelFailure(d.version(), e); // counted against the version that failed (a canary's own)
            }
            if (part == null || part.size() != to - from) {
                throw new IllegalStateException("predictor " + d.predictor().type() + " returned "
                        + (part == null ? "null" : part.size() + " predictions") + " for " + (to - from) + " instances");
            }
            predictions.addAll(part);
        }
        long nanos = System.nanoTime() - started;
        return new Ran(predictions, log(d, rows.instances(), predictions, nanos), nanos);
    }

    /** Logs the answers to the monitor (returning their ids, or null without one) and mirrors the request to the shadow. */
    private List<Long> log(Deployments.Deployed d, List<Map<String, Object>> instances, List<Prediction> predictions,
                           long nanos) {
        if (shadow != null) {
            shadow.mirror(instances, predictions);
        }
        if (canary != null) {
            canary.observe(d.version(), predictions);
        }
        ModelMonitor monitor = s.monitor();
        if (monitor == null) {
            return null;
        }
        Duration each = Duration.ofNanos(nanos / instances.size());
        List<Long> ids = new ArrayList<>(instances.size());
        String traceId = ServerTracing.currentTraceId();
        for (int i = 0; i < instances.size(); i++) {
            Prediction p = predictions.get(i);
            Map<String, Object> instance = instances.get(i);
            var log = monitor.prediction().input(instance).output(p.label()).latency(each).modelVersion(d.version());
            if (p.score() != null && p.score() >= 0 && p.score() <= 1) {
                log.probability(p.score());
            }
            if (traceId != null) {
                log.traceId(traceId);
            }
            Object user = instance.get("user_id");
            if (user != null) {
                log.user(String.valueOf(user));
            }
            ids.add(log.log());
        }
        return ids;
    }

    /** Rows given as JSON objects of features; {@code single} when the body was one object, not an array. */
    static Rows of(List<Map<String, Object>> instances, boolean single) {
        return new Rows() {
            @Override
            public int size() {
                return instances.size();
            }

            @Override
            public List<Map<String, Object>> instances() {
                return instances;
            }

            @Override
            public void check(FeatureSchema schema) throws HttpError {
                if (schema == null) {
                    return;
                }
                for (int i = 0; i < instances.size(); i++) {
                    Optional<Map.Entry<String, String>> problem = schema.check(instances.get(i));
                    if (problem.isPresent()) {
                        throw new HttpError(400, (single ? "" : "instance " + i + ": ") + problem.get().getValue(),
                                problem.get().getKey());
                    }
                }
            }

            @Override
            public List<Prediction> predict(Predictor p, int from, int to) {
                return to - from == 1 ? List.of(p.predict(instances.get(from))) : p.predictBatch(instances.subList(from, to));
            }
        };
    }

    /** Rows given as tensors: checked column by column, run as one tensor call, boxed only if read as maps. */
    static Rows of(TensorBatch batch) {
        return new Rows() {
            @Override
            public int size() {
                return batch.rows();
            }

            @Override
            public List<Map<String, Object>> instances() {
                return batch.instances();
            }

            @Override
            public void check(FeatureSchema schema) throws HttpError {
                OipTensors.check(batch, schema);
            }

            @Override
            public List<Prediction> predict(Predictor p, int from, int to) {
                return p.predictTensors(batch); // the whole batch: its size is the batch size
            }
        };
    }
}
