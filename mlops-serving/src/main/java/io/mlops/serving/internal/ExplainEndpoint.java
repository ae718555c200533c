package io.mlops.serving.internal;

import io.mlops.serving.Explainer;
import io.mlops.serving.Explanation;
import io.mlops.serving.Predictor;
import io.mlops.serving.TensorBatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * {@code POST /v2/models/{name}[/versions/{v}]/explain}: an Open Inference Protocol request's
 * instances explained by the served version's explainer ({@link Predictor#explainer}, built on the
 * first request to each loaded version against the server's background sample), at most
 * {@value #MAX_INSTANCES} instances a request. Not enabled (no background): 501.
 */
final class ExplainEndpoint {

    static final int MAX_INSTANCES = 16;

    private final ServerSettings s;
    private final OipEndpoints oip;
    private final Inference inference;
    private final Map<Predictor, Explainer> explainers = new WeakHashMap<>(); // guarded by itself

    ExplainEndpoint(ServerSettings settings, OipEndpoints oip, Inference inference) {
        this.s = settings;
        this.oip = oip;
        this.inference = inference;
    }

    Routes.Reply explain(String model, String version, RequestBody body, long maxElements) throws HttpError {
        if (s.explanationBackground() == null) {
            throw new HttpError(501, "explanations are not enabled on this server (ModelServer.Builder.explanations)");
        }
        InferRequestReader.InferRequest request = InferRequestReader.read(body, maxElements);
        Deployments.Deployed d = oip.deployment(model, version);
        TensorBatch batch = OipTensors.batch(request.inputs(), inference.schema(d));
        if (batch.rows() > MAX_INSTANCES) {
            throw new HttpError(400, "explain at most " + MAX_INSTANCES + " instances a request, not " + batch.rows(), "inputs");
        }
        Inference.of(batch).check(inference.schema(d));
        Explainer explainer = explainer(d.predictor());
        List<Map<String, Object>> explanations = new ArrayList<>();
        String method = null;
        List<String> features = null;
        for (Map<String, Object> instance : batch.instances()) {
            Explanation e;
            try {
                e = explainer.explain(instance);
            } catch (IllegalArgumentException bad) {
                throw new HttpError(400, bad.getMessage());
            }
            method = e.method();
            features = e.features();
            List<Map<String, Object>> outputs = new ArrayList<>();
            for (Explanation.Output o : e.outputs()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("name", o.name());
                out.put("expected_value", o.expectedValue());
                out.put("value", o.value());
                out.put("attributions", o.attributions());
                outputs.add(out);
            }
            explanations.add(Map.of("outputs", outputs));
            logAttributions(e, d.version());
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("model_name", s.modelName());
        response.put("model_version", d.version());
        if (request.id() != null) {
            response.put("id", request.id());
        }
        response.put("method", method);
        response.put("features", features);
        response.put("explanations", explanations);
        return Routes.Reply.json(response, d.version());
    }

    /**
     * Logs an explanation to the attribution monitor, when there is one: a "prediction" whose
     * inputs are the attributions (named as the features; {@code OUTPUT/FEATURE} when there are
     * several outputs) and whose output is the last output's value, so that attribution drift per
     * feature is watched like input drift.
     */
    private void logAttributions(Explanation e, String version) {
        io.mlops.monitor.ModelMonitor monitor = s.attributionMonitor();
        if (monitor == null) {
            return;
        }
        Map<String, Object> input = new LinkedHashMap<>();
        boolean several = e.outputs().size() > 1;
        for (Explanation.Output o : e.outputs()) {
            o.attributions().forEach((feature, value) -> input.put(several ? o.name() + "/" + feature : feature, value));
        }
        Explanation.Output last = e.outputs().get(e.outputs().size() - 1);
        try {
            monitor.prediction().input(input).output(last.value()).modelVersion(version).log();
        } catch (RuntimeException full) {
            org.slf4j.LoggerFactory.getLogger(ExplainEndpoint.class).warn("Could not log attributions: {}", full.toString());
        }
    }

    /** The predictor's explainer, made once per loaded predictor (a bad background for it: a 500 without details). */
    private Explainer explainer(Predictor predictor) throws HttpError {
        synchronized (explainers) {
            Explainer e = explainers.get(predictor);
            if (e == null) {
                try {
                    e = predictor.explainer(s.explanationBackground());
                } catch (RuntimeException bad) {
                    org.slf4j.LoggerFactory.getLogger(ExplainEndpoint.class).warn("Cannot explain {}: {}", predictor, bad.toString());
                    throw new HttpError(500, "the model cannot be explained with the server's background sample");
                }
                explainers.put(predictor, e);
            }
            return e;
        }
    }
}
