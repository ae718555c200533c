package io.mlops.serving.internal;

import io.mlops.serving.FeatureSchema;
import io.mlops.serving.TensorBatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol (KServe V2) REST endpoints over the same deployments, routing, schema
 * checks and monitor as {@code /predict}. A model's inputs are its features: one tensor per feature
 * ({@code [N]} or {@code [N, 1]}, named as the feature), or one {@code [N, F]} tensor whose columns
 * are the features in the schema's order. Outputs are {@code label} ({@code [N]}) and, for a
 * classifier, {@code probabilities} ({@code [N, C]}, FP64, the classes in the output's
 * {@code parameters.classes}).
 */
final class OipEndpoints {

    private final ServerSettings s;
    private final Deployments deployments;
    private final Inference inference;

    OipEndpoints(ServerSettings settings, Deployments deployments, Inference inference) {
        this.s = settings;
        this.deployments = deployments;
        this.inference = inference;
    }

    Map<String, Object> live() {
        return Map.of("live", true);
    }

    /** Ready once a model is loaded: 200, else 503, with the same body. */
    Routes.Reply ready() {
        boolean ready = deployments.primary() != null;
        return Routes.Reply.json(ready ? 200 : 503, Map.of("ready", ready));
    }

    Map<String, Object> server() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "mlops");
        body.put("version", version());
        body.put("extensions", List.of());
        return body;
    }

    private static String version() {
        String v = OipEndpoints.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** The deployment a path names: the primary, or the canary's version when named; else 404. */
    Deployments.Deployed deployment(String model, String version) throws HttpError {
        if (!model.equals(s.modelName())) {
            throw new HttpError(404, "no model '" + model + "' here; this server serves '" + s.modelName() + "'");
        }
        Deployments.Deployed primary = deployments.primary();
        if (version == null) {
            if (primary == null) {
                throw new HttpError(503, "no model loaded");
            }
            return primary;
        }
        for (Deployments.Deployed d : new Deployments.Deployed[] {primary, deployments.split()}) {
            if (d != null && d.version().equals(version)) {
                return d;
            }
        }
        throw new HttpError(404, "model '" + model + "' has no version '" + version + "' being served");
    }

    Map<String, Object> modelReady(String model, String version) throws HttpError {
        Deployments.Deployed d = deployment(model, version);
        return Map.of("name", model, "ready", d != null);
    }

    Map<String, Object> model(String model, String version) throws HttpError {
        Deployments.Deployed d = deployment(model, version);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", s.modelName());
        List<String> versions = new ArrayList<>();
        versions.add(deployments.primary().version());
        if (deployments.split() != null) {
            versions.add(deployments.split().version());
        }
        body.put("versions", versions);
        body.put("platform", d.predictor().type());
        List<Map<String, Object>> inputs = new ArrayList<>();
        FeatureSchema schema = inference.schema(d);
        if (schema != null) {
            for (FeatureSchema.Feature f : schema.features()) {
                inputs.add(tensor(f.name(), switch (f.type()) {
                    case NUMBER -> "FP64";
                    case BOOLEAN -> "BOOL";
                    default -> "BYTES";
                }, List.of(-1L)));
            }
        }
        body.put("inputs", inputs);
        body.put("outputs", List.of(tensor("label", d.predictor().labelDatatype(), List.of(-1L)),
                tensor("probabilities", "FP64", List.of(-1L, -1L))));
        return body;
    }

    private static Map<String, Object> tensor(String name, String datatype, List<Long> shape) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("datatype", datatype);
        t.put("shape", shape);
        return t;
    }

    /** Runs an inference request: its tensors become a batch, then the one path of {@link Inference}. */
    Routes.Reply infer(String model, String version, RequestBody body, long maxElements, long started) throws HttpError {
        InferRequestReader.InferRequest request = InferRequestReader.read(body, maxElements);
        Deployments.Deployed named = version == null ? null : deployment(model, version);
        Deployments.Deployed any = named != null ? named : deployment(model, null);
        TensorBatch batch = OipTensors.batch(request.inputs(), inference.schema(any));
        Deployments.Deployed d = named != null ? named : deployments.route(batch.instances().get(0));
        Inference.Ran ran = inference.run(d, Inference.of(batch), batch.rows(), started);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("model_name", s.modelName());
        response.put("model_version", d.version());
        if (request.id() != null) {
            response.put("id", request.id());
        }
        List<Map<String, Object>> outputs = new ArrayList<>();
        outputs.add(OipTensors.labels(ran.predictions(), d.predictor().labelDatatype()));
        Map<String, Object> probabilities = OipTensors.probabilities(ran.predictions());
        if (probabilities != null) {
            outputs.add(probabilities);
        }
        response.put("outputs", requested(outputs, request.outputs()));
        if (ran.ids() != null) {
            response.put("parameters", Map.of("prediction_ids", ran.ids()));
        }
        return Routes.Reply.json(response, d.version());
    }

    /** Keeps the outputs the request names (all when it names none); an unknown name is a 400. */
    private static List<Map<String, Object>> requested(List<Map<String, Object>> outputs, Object wanted) throws HttpError {
        if (wanted == null) {
            return outputs;
        }
        if (!(wanted instanceof List<?> list)) {
            throw new HttpError(400, "'outputs' must be an array of {\"name\": ...}", "outputs");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object w : list) {
            Object name = w instanceof Map<?, ?> m ? m.get("name") : null;
            Map<String, Object> match = outputs.stream().filter(o -> o.get("name").equals(name)).findFirst().orElse(null);
            if (match == null) {
                throw new HttpError(400, "no output named " + name + "; there are " + outputs.stream().map(o -> o.get("name")).toList(),
                        "outputs");
            }
            out.add(match);
        }
        return out;
    }
}
