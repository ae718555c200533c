package io.mlops.serving.internal;

import io.mlops.serving.FeatureSchema;
import io.mlops.serving.Prediction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chapter's endpoints, apart from HTTP: {@code /predict} and {@code /batch_predict} read their
 * rows, route them and answer in the chapter's fields, each through the one path of
 * {@link Inference}; {@code /health} and {@code /model_info} describe the server.
 */
final class PredictEndpoints {

    private final ServerSettings s;
    private final Deployments deployments;
    private final Inference inference;
    private final CanaryController canary; // null without a canary analysis
    private final ShadowTraffic shadow; // null without a shadow

    PredictEndpoints(ServerSettings settings, Deployments deployments, Inference inference, CanaryController canary,
                     ShadowTraffic shadow) {
        this.s = settings;
        this.deployments = deployments;
        this.inference = inference;
        this.canary = canary;
        this.shadow = shadow;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> instances(Object json, String what) throws HttpError {
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

    Routes.Reply predict(Object json, long started) throws HttpError {
        List<Map<String, Object>> instances = instances(json, "request body");
        Deployments.Deployed d = deployments.route(instances.get(0));
        Inference.Ran ran = inference.run(d, Inference.of(instances, json instanceof Map), instances.size(), started);
        List<Prediction> predictions = ran.predictions();
        List<Long> ids = ran.ids();
        double ms = ran.nanos() / 1e6;
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
        return Routes.Reply.json(body, d.version());
    }

    Routes.Reply batchPredict(Object json, long started) throws HttpError {
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
        Inference.Ran ran = inference.run(d, Inference.of(instances, false), batchSize, started);
        List<Prediction> predictions = ran.predictions();
        long nanos = ran.nanos();
        Map<String, Object> body = new LinkedHashMap<>();
        chapterFields(body, predictions);
        body.put("num_instances", predictions.size());
        body.put("processing_time_seconds", nanos / 1e9);
        body.put("throughput_per_second", predictions.size() / Math.max(nanos / 1e9, 1e-9));
        body.put("timestamp", java.time.Instant.now().toString());
        if (ran.ids() != null) {
            body.put("prediction_ids", ran.ids());
        }
        body.put("count", predictions.size());
        body.put("batch_size", batchSize);
        body.put("model_name", s.modelName());
        body.put("model_version", d.version());
        body.put("processing_time_ms", nanos / 1e6);
        return Routes.Reply.json(body, d.version());
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
        FeatureSchema schema = d == null ? s.schema() : inference.schema(d);
        // the chapter's fields: features (names, or null), n_features, config
        body.put("features", schema == null ? null : schema.features().stream().map(FeatureSchema.Feature::name).toList());
        body.put("n_features", schema == null ? null : schema.features().size());
        body.put("config", s.info());
        if (d != null && d.predictor() instanceof DynamicBatcher batcher) {
            body.put("batching", batcher.stats());
        }
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
