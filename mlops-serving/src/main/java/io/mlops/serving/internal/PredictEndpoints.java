package io.mlops.serving.internal;

import io.mlops.monitor.ModelMonitor;
import io.mlops.serving.FeatureSchema;
import io.mlops.serving.Prediction;
import io.mlops.serving.TensorBatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The endpoints' work, apart from HTTP: parse a request body, check the instances, route, run the
 * predictor, log to the monitor, and build the response bodies.
 */
final class PredictEndpoints {

    /** A response body and the version that produced it. */
    record Result(String version, Map<String, Object> body) {
    }

    /** What a run gave: the predictions and, with a monitor, their ids. */
    record Ran(List<Prediction> predictions, List<Long> ids) {
    }

    /**
     * Checks an inference request's tensors against the schema, runs them as tensors, logs them:
     * the Open Inference Protocol's path (rows are boxed only if the predictor or the monitor reads
     * them as maps, one at a time).
     */
    Ran runTensors(Deployments.Deployed d, TensorBatch batch, long started) throws HttpError {
        OipTensors.check(batch, schema(d));
        List<Prediction> predictions = run(d, batch.rows(), () -> d.predictor().predictTensors(batch));
        return new Ran(predictions, log(d, batch.instances(), predictions, System.nanoTime() - started));
    }

    /** The server's schema, else the deployment's own, or null. */
    FeatureSchema schema(Deployments.Deployed d) {
        return s.schema() != null ? s.schema() : d.predictor().schema().orElse(null);
    }

    private final ServerSettings s;
    private final Deployments deployments;
    private final ShadowTraffic shadow; // null without a shadow
    private final CanaryController canary; // null without a canary analysis

    PredictEndpoints(ServerSettings settings, Deployments deployments, ShadowTraffic shadow, CanaryController canary) {
        this.canary = canary;
        this.s = settings;
        this.deployments = deployments;
        this.shadow = shadow;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> instances(Object json, String what) throws HttpError {
        List<Map<String, Object>> out = new ArrayList<>();
        if (json instanceof Map) {
            out.add((Map<String, Object>) json);
        } else if (json instanceof List) {
            int i = 0;
            for (Object o : (List<Object>) json) {
                if (!(o instanceof Map)) {
                    throw new HttpError(400, what + "[" + i + "] must be a JSON object of features", what + "[" + i + "]");
                }
                out.add((Map<String, Object>) o);
                i++;
            }
        } else {
            throw new HttpError(400, what + " must be a JSON object of features or an array of them");
        }
        if (out.isEmpty()) {
            throw new HttpError(400, what + " holds no instances");
        }
        return out;
    }

    /** Checks the instances against the server's schema, else the routed model's own. */
    private void check(Deployments.Deployed d, List<Map<String, Object>> out, Object json) throws HttpError {
        FeatureSchema schema = schema(d);
        if (schema != null) {
            for (int i = 0; i < out.size(); i++) {
                Optional<Map.Entry<String, String>> problem = schema.check(out.get(i));
                if (problem.isPresent()) {
                    String prefix = out.size() == 1 && json instanceof Map ? "" : "instance " + i + ": ";
                    throw new HttpError(400, prefix + problem.get().getValue(), problem.get().getKey());
                }
            }
        }
    }

    Result predict(Object json, long started) throws HttpError {
        List<Map<String, Object>> instances = instances(json, "request body");
        Deployments.Deployed d = deployments.route(instances.get(0));
        check(d, instances, json);
        List<Prediction> predictions = run(d, instances);
        double ms = (System.nanoTime() - started) / 1e6;
        List<Long> ids = log(d, instances, predictions, System.nanoTime() - started);
        Map<String, Object> body = new LinkedHashMap<>();
        // the chapter's fields first: predictions always a list, probabilities as lists in class order
        chapterFields(body, predictions);
        body.put("processing_time_seconds", ms / 1000.0);
        body.put("model_version", d.version());
        body.put("timestamp", java.time.Instant.now().toString());
        if (json instanceof Map) {
            Prediction p = predictions.get(0);
            body.put("prediction", p.label());
            body.put("probabilities_by_class", p.probabilities().isEmpty() ? null : p.probabilities());
            body.put("score", p.score());
            if (ids != null) {
                body.put("prediction_id", ids.get(0));
            }
        } else if (ids != null) {
            body.put("prediction_ids", ids);
        }
        body.put("model_name", s.modelName());
        body.put("processing_time_ms", ms);
        return new Result(d.version(), body);
    }

    Result batchPredict(Object json, long started) throws HttpError {
        if (!(json instanceof Map)) {
            throw new HttpError(400, "batch_predict takes {\"instances\": [...], \"batch_size\": n}");
        }
        Map<?, ?> request = (Map<?, ?>) json;
        Object rawInstances = request.get("instances");
        if (!(rawInstances instanceof List)) {
            throw new HttpError(400, "'instances' must be an array of feature objects", "instances");
        }
        int batchSize = 32;
        Object bs = request.get("batch_size");
        if (bs != null) {
            if (!(bs instanceof Integer) || (Integer) bs < 1 || (Integer) bs > 100_000) {
                throw new HttpError(400, "'batch_size' must be a whole number in [1, 100000]", "batch_size");
            }
            batchSize = (Integer) bs;
        }
        List<Map<String, Object>> instances = instances(rawInstances, "instances");
        Deployments.Deployed d = deployments.route(instances.get(0));
        check(d, instances, rawInstances);
        List<Prediction> predictions = new ArrayList<>(instances.size());
        for (int from = 0; from < instances.size(); from += batchSize) {
            predictions.addAll(run(d, instances.subList(from, Math.min(instances.size(), from + batchSize))));
        }
        long nanos = System.nanoTime() - started;
        List<Long> ids = log(d, instances, predictions, nanos);
        Map<String, Object> body = new LinkedHashMap<>();
        chapterFields(body, predictions);
        body.put("num_instances", predictions.size());
        body.put("processing_time_seconds", nanos / 1e9);
        body.put("throughput_per_second", predictions.size() / Math.max(nanos / 1e9, 1e-9));
        body.put("timestamp", java.time.Instant.now().toString());
        if (ids != null) {
            body.put("prediction_ids", ids);
        }
        body.put("count", predictions.size());
        body.put("batch_size", batchSize);
        body.put("model_name", s.modelName());
        body.put("model_version", d.version());
        body.put("processing_time_ms", nanos / 1e6);
        return new Result(d.version(), body);
    }

    /**
     * The chapter's {@code predictions} (a list, always) and {@code probabilities} (per instance a
     * list in the order of {@code classes}, or null when the model gives none), and {@code classes}.
     */
    static void chapterFields(Map<String, Object> body, List<Prediction> predictions) {
        body.put("predictions", predictions.stream().map(Prediction::label).toList());
        List<String> classes = predictions.stream().map(Prediction::probabilities).filter(p -> !p.isEmpty()).findFirst()
                .map(p -> sortedClasses(p.keySet())).orElse(null);
        if (classes == null) {
            body.put("probabilities", null);
            body.put("classes", null);
            return;
        }
        List<List<Double>> rows = new ArrayList<>(predictions.size());
        for (Prediction p : predictions) {
            if (p.probabilities().isEmpty()) {
                rows.add(null);
            } else {
                List<Double> row = new ArrayList<>(classes.size());
                for (String c : classes) {
                    row.add(p.probabilities().get(c));
                }
                rows.add(row);
            }
        }
        body.put("probabilities", rows);
        body.put("classes", classes);
    }

    /** Classes in order: numerically when every name is a number (as scikit-learn's classes_), else by name. */
    private static List<String> sortedClasses(java.util.Set<String> names) {
        List<String> out = new ArrayList<>(names);
        boolean numeric = out.stream().allMatch(n -> n.matches("-?\\d+(\\.\\d+)?"));
        out.sort(numeric ? java.util.Comparator.comparing(java.math.BigDecimal::new) : java.util.Comparator.naturalOrder());
        return out;
    }

    private static List<Prediction> run(Deployments.Deployed d, List<Map<String, Object>> instances) {
        return run(d, instances.size(), () -> instances.size() == 1 ? List.of(d.predictor().predict(instances.get(0)))
                : d.predictor().predictBatch(instances));
    }

    private static List<Prediction> run(Deployments.Deployed d, int rows, Supplier<List<Prediction>> predictor) {
        List<Prediction> out;
        try {
            out = predictor.get();
        } catch (RuntimeException e) {
            throw new ModelFailure(d.version(), e); // the failure counts against the version that failed (a canary's own)
        }
        if (out == null || out.size() != rows) {
            throw new IllegalStateException("predictor " + d.predictor().type() + " returned "
                    + (out == null ? "null" : out.size() + " predictions") + " for " + rows + " instances");
        }
        return out;
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
        for (int i = 0; i < instances.size(); i++) {
            Prediction p = predictions.get(i);
            var log = monitor.prediction().input(instances.get(i)).output(p.label()).latency(each).modelVersion(d.version());
            if (p.score() != null && p.score() >= 0 && p.score() <= 1) {
                log.probability(p.score());
            }
            Object user = instances.get(i).get("user_id");
            if (user != null) {
                log.user(String.valueOf(user));
            }
            ids.add(log.log());
        }
        return ids;
    }

    Map<String, Object> health(long uptimeNanos, long requests, double errorRate) {
        Map<String, Object> body = new LinkedHashMap<>();
        Deployments.Deployed d = deployments.primary();
        List<Map<String, Object>> loadErrors = deployments.failures().current();
        body.put("status", d == null ? "unavailable" : loadErrors.isEmpty() ? "healthy" : "degraded");
        body.put("uptime_seconds", uptimeNanos / 1e9);
        body.put("requests_served", requests);
        body.put("error_rate", errorRate);
        body.put("requests", requests);
        body.put("model_name", s.modelName());
        body.put("model_version", d == null ? null : d.version());
        Deployments.Deployed split = deployments.split();
        if (split != null) {
            body.put("canary_version", split.version());
        }
        if (!loadErrors.isEmpty()) {
            body.put("model_load_errors", loadErrors); // a moved alias whose version could not be loaded
        }
        return body;
    }

    Map<String, Object> modelInfo() {
        Deployments.Deployed d = deployments.primary();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_type", d == null ? null : d.predictor().type());
        body.put("model_name", s.modelName());
        body.put("model_version", d == null ? null : d.version());
        if (s.source() instanceof ServerSettings.FromRegistry registry) {
            body.put("alias", registry.alias());
            body.put("registry_metadata", d == null ? null : d.metadata());
        }
        Deployments.Deployed split = deployments.split();
        ServerSettings.Split settings = s.split();
        if (split != null) {
            body.put("split", Map.of("alias", settings.alias(), "version", split.version(), "fraction", deployments.share(),
                    "mode", settings.key() == null ? "canary" : "ab_test by " + settings.key()));
        }
        if (canary != null) {
            body.put("rollout", RolloutJson.of(canary.rollout()));
        }
        FeatureSchema schema = d == null ? s.schema() : schema(d);
        // the chapter's fields: features (names, or null), n_features, config
        body.put("features", schema == null ? null : schema.features().stream().map(FeatureSchema.Feature::name).toList());
        body.put("n_features", schema == null ? null : schema.features().size());
        body.put("config", s.info());
        if (schema != null) {
            List<Map<String, Object>> features = new ArrayList<>();
            for (FeatureSchema.Feature f : schema.features()) {
                features.add(Map.of("name", f.name(), "type", f.type().name().toLowerCase(java.util.Locale.ROOT),
                        "required", f.required()));
            }
            body.put("feature_schema", features);
        }
        if (shadow != null) {
            body.put("shadow", shadow.stats());
        }
        List<Map<String, Object>> changes = deployments.featureChanges().current();
        if (!changes.isEmpty()) {
            body.put("feature_changes", changes);
        }
        body.putAll(s.info());
        return body;
    }
}
