package io.mlops.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.serving.ModelServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v2/models/{name}/explain} on the chapter's forest: TreeSHAP per instance whose
 * attributions add up to the probabilities {@code /infer} answers; hostile and unauthorised
 * requests answered with a status and a reason, never a stack trace.
 */
class ExplainEndpointTest {

    static final String TOKEN = "a-token-of-sixteen-chars";
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    ModelServer server;
    OnnxModel model;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    ModelServer start(boolean explanations) throws Exception {
        model = OnnxModel.load(OnnxModelTest.MODELS.resolve("chapter_forest.onnx"));
        List<Map<String, Object>> rows = OnnxModelTest.instances(OnnxModelTest.expected("chapter_forest"));
        ModelServer.Builder b = ModelServer.builder().predictor(model).modelName("chapter").bearerToken(TOKEN).port(0);
        if (explanations) {
            b.explanations(rows);
        }
        server = b.build().start();
        return server;
    }

    HttpResponse<String> post(String path, Object body, boolean token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
        if (token) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        b.POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : json.writeValueAsString(body)));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> request(int rows) throws Exception {
        JsonNode expected = OnnxModelTest.expected("chapter_forest");
        List<Double> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            expected.get("rows").get(i % expected.get("rows").size()).forEach(v -> data.add(v.asDouble()));
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", "input");
        input.put("shape", List.of(rows, 5));
        input.put("datatype", "FP32");
        input.put("data", data);
        return Map.of("id", "q-1", "inputs", List.of(input));
    }

    @Test
    void attributionsAddUpToWhatInferAnswers() throws Exception {
        start(true);
        HttpResponse<String> r = post("/v2/models/chapter/explain", request(3), true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("method").asText()).isEqualTo("tree_shap");
        assertThat(body.get("id").asText()).isEqualTo("q-1");
        assertThat(body.get("features")).hasSize(5);
        JsonNode infer = json.readTree(post("/v2/models/chapter/infer", request(3), true).body());
        JsonNode probabilities = infer.at("/outputs/1/data");
        for (int i = 0; i < 3; i++) {
            JsonNode one = body.at("/explanations/" + i + "/outputs/1");
            assertThat(one.get("name").asText()).isEqualTo("1");
            double sum = one.get("expected_value").asDouble();
            for (JsonNode a : one.get("attributions")) {
                sum += a.asDouble();
            }
            assertThat(sum).isCloseTo(probabilities.get(i * 2 + 1).asDouble(), within(1e-5));
        }
    }

    @Test
    void hostileRequestsGetAStatusAndAReason() throws Exception {
        start(true);
        assertThat(post("/v2/models/chapter/explain", request(1), false).statusCode()).isEqualTo(401);
        HttpResponse<String> many = post("/v2/models/chapter/explain", request(17), true);
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(many.body()).contains("at most 16");
        HttpResponse<String> garbage = post("/v2/models/chapter/explain", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 5]", true);
        assertThat(garbage.statusCode()).isEqualTo(400);
        Map<String, Object> nan = new LinkedHashMap<>(request(1));
        @SuppressWarnings("unchecked")
        Map<String, Object> input = new LinkedHashMap<>(((List<Map<String, Object>>) nan.get("inputs")).get(0));
        input.put("shape", List.of(1, 4));
        input.put("data", List.of(1, 2, 3, 4));
        HttpResponse<String> shape = post("/v2/models/chapter/explain", Map.of("inputs", List.of(input)), true);
        assertThat(shape.statusCode()).isEqualTo(400);
        assertThat(post("/v2/models/other/explain", request(1), true).statusCode()).isEqualTo(404);
        for (HttpResponse<String> r : List.of(many, garbage, shape)) {
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.mlops");
        }
    }

    @Test
    void attributionsAreLoggedToTheirOwnMonitor() throws Exception {
        model = OnnxModel.load(OnnxModelTest.MODELS.resolve("chapter_forest.onnx"));
        List<Map<String, Object>> rows = OnnxModelTest.instances(OnnxModelTest.expected("chapter_forest"));
        try (io.mlops.monitor.ModelMonitor attributions = io.mlops.monitor.ModelMonitor.builder().build()) {
            server = ModelServer.builder().predictor(model).modelName("chapter").modelVersion("3.0.0").bearerToken(TOKEN)
                    .port(0).explanations(rows, attributions).build().start();
            assertThat(post("/v2/models/chapter/explain", request(4), true).statusCode()).isEqualTo(200);
            attributions.flush();
            assertThat(attributions.metrics(java.time.Duration.ofHours(1)).counts().predictions()).isEqualTo(4);
            // the attributions are the monitor's inputs, one per class and feature, as drift inputs are
            io.mlops.drift.DriftReport report = attributions.drift(java.time.Duration.ofHours(1),
                    io.mlops.drift.DriftDetector.builder(attributionRows(rows.subList(0, 20))).build().profile());
            assertThat(report.features()).isNotEmpty();
        }
    }

    /** The attributions of rows as the monitor logs them: OUTPUT/FEATURE to value. */
    private io.mlops.core.Dataset attributionRows(List<Map<String, Object>> rows) {
        io.mlops.serving.Explainer explainer = model.explainer(rows);
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            for (io.mlops.serving.Explanation.Output o : explainer.explain(rows.get(i)).outputs()) {
                int row = i;
                o.attributions().forEach((f, v) -> columns.computeIfAbsent(o.name() + "/" + f, k -> new double[rows.size()])[row] = v);
            }
        }
        io.mlops.core.Dataset.Builder b = io.mlops.core.Dataset.builder();
        columns.forEach(b::numeric);
        return b.build();
    }

    @Test
    void offUnlessEnabled() throws Exception {
        start(false);
        HttpResponse<String> r = post("/v2/models/chapter/explain", request(1), true);
        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(r.body()).contains("explanations");
        assertThatThrownBy(() -> ModelServer.builder().explanations(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
