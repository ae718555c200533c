package io.mlops.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Open Inference Protocol V2 endpoints on a server of the chapter's model (ONNX), every response
 * validated against the JSON schemas in {@code src/test/resources/oip}, which were written from the
 * protocol's specification ({@code inference_rest.md} and {@code open_inference_rest.yaml} of
 * kserve/open-inference-protocol: required fields, types, datatypes).
 */
class OpenInferenceProtocolTest {

    static final String TOKEN = "a-token-of-sixteen-chars";

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    ModelServer server;
    ModelMonitor monitor;
    JsonNode expected;

    @BeforeEach
    void start() throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        byte[] onnx = Files.readAllBytes(OnnxModelTest.MODELS.resolve("chapter_forest.onnx"));
        registry.register("chapter").version("1.0.0").artifact(onnx).save();
        registry.register("chapter").version("1.1.0").artifact(onnx).metadata("note", "the same model again").save();
        registry.setAlias("chapter", "production", "1.0.0");
        registry.setAlias("chapter", "staging", "1.1.0");
        monitor = ModelMonitor.builder().build();
        server = ModelServer.builder().fromRegistry(registry, "chapter", "production", OnnxModel.loader())
                .canary("staging", 0.5).monitor(monitor).bearerToken(TOKEN).pollInterval(Duration.ofMinutes(1))
                .port(0).build().start();
        expected = OnnxModelTest.expected("chapter_forest");
    }

    @AfterEach
    void stop() {
        server.close();
        monitor.close();
    }

    HttpResponse<String> call(String method, String path, Object body, boolean token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
        if (token) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : json.writeValueAsString(body)));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Checks the status and validates the body against a schema; returns the body. */
    JsonNode valid(HttpResponse<String> r, int status, String schema) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json.readTree(r.body());
        try (InputStream in = getClass().getResourceAsStream("/oip/" + schema + ".schema.json")) {
            JsonSchema s = schemas.getSchema(in);
            Set<ValidationMessage> errors = s.validate(body);
            assertThat(errors).as("%s against %s", r.body(), schema).isEmpty();
        }
        return body;
    }

    /** The expected file's rows as one [N, 5] FP32 tensor, row-major. */
    Map<String, Object> matrix(int rows) {
        List<Double> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            expected.get("rows").get(i).forEach(v -> data.add(v.asDouble()));
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", "input");
        input.put("shape", List.of(rows, 5));
        input.put("datatype", "FP32");
        input.put("data", data);
        return input;
    }

    @Test
    void healthAndMetadata() throws Exception {
        assertThat(valid(call("GET", "/v2/health/live", null, false), 200, "live").get("live").asBoolean()).isTrue();
        assertThat(valid(call("GET", "/v2/health/ready", null, false), 200, "ready").get("ready").asBoolean()).isTrue();
        JsonNode server = valid(call("GET", "/v2", null, true), 200, "server_metadata");
        assertThat(server.get("name").asText()).isEqualTo("mlops");
        JsonNode model = valid(call("GET", "/v2/models/chapter", null, true), 200, "model_metadata");
        assertThat(model.get("versions").toString()).isEqualTo("[\"1.0.0\",\"1.1.0\"]");
        assertThat(model.get("inputs")).hasSize(5);
        assertThat(model.at("/outputs/0/datatype").asText()).isEqualTo("INT64");
        valid(call("GET", "/v2/models/chapter/versions/1.1.0", null, true), 200, "model_metadata");
        JsonNode ready = valid(call("GET", "/v2/models/chapter/versions/1.0.0/ready", null, true), 200, "model_ready");
        assertThat(ready.get("ready").asBoolean()).isTrue();
        valid(call("GET", "/v2/models/chapter/ready", null, true), 200, "model_ready");
        // errors, as the protocol has them
        valid(call("GET", "/v2/models/other", null, true), 404, "error");
        valid(call("GET", "/v2/models/chapter/versions/9.9.9", null, true), 404, "error");
        valid(call("GET", "/v2/models/chapter", null, false), 401, "error");
        valid(call("POST", "/v2/health/live", "{}", false), 405, "error");
        valid(call("GET", "/v2/nothing/here", null, true), 404, "error");
    }

    @Test
    void inferAgreesWithScikitLearnInBothInputForms() throws Exception {
        // one [N, 5] FP32 tensor, rows in order, a version named in the path, the id echoed
        Map<String, Object> request = Map.of("id", "req-42", "inputs", List.of(matrix(20)));
        JsonNode r = valid(call("POST", "/v2/models/chapter/versions/1.0.0/infer", request, true), 200, "infer_response");
        assertThat(r.get("id").asText()).isEqualTo("req-42");
        assertThat(r.get("model_version").asText()).isEqualTo("1.0.0");
        JsonNode label = r.get("outputs").get(0);
        assertThat(label.get("name").asText()).isEqualTo("label");
        assertThat(label.get("datatype").asText()).isEqualTo("INT64");
        assertThat(label.get("shape").toString()).isEqualTo("[20]");
        JsonNode probs = r.get("outputs").get(1);
        assertThat(probs.get("shape").toString()).isEqualTo("[20,2]");
        assertThat(probs.at("/parameters/classes").toString()).isEqualTo("[\"0\",\"1\"]");
        for (int i = 0; i < 20; i++) {
            assertThat(label.get("data").get(i).asLong()).isEqualTo(expected.get("labels").get(i).asLong());
            for (int c = 0; c < 2; c++) {
                assertThat(probs.get("data").get(i * 2 + c).asDouble())
                        .isCloseTo(expected.get("probabilities").get(i).get(c).asDouble(), org.assertj.core.api.Assertions.within(1e-5));
            }
        }
        assertThat(r.at("/parameters/prediction_ids")).hasSize(20);

        // one [N] tensor per feature, nested data, only the label asked for; routed like /predict
        List<Object> inputs = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            List<List<Double>> column = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                column.add(List.of(expected.get("rows").get(i).get(f).asDouble()));
            }
            inputs.add(Map.of("name", "feature_" + f, "shape", List.of(3, 1), "datatype", "FP64", "data", column));
        }
        JsonNode byFeature = valid(call("POST", "/v2/models/chapter/infer",
                Map.of("inputs", inputs, "outputs", List.of(Map.of("name", "label"))), true), 200, "infer_response");
        assertThat(byFeature.get("outputs")).hasSize(1);
        assertThat(byFeature.has("id")).isFalse();
        for (int i = 0; i < 3; i++) {
            assertThat(byFeature.at("/outputs/0/data/" + i).asLong()).isEqualTo(expected.get("labels").get(i).asLong());
        }
        monitor.flush();
        assertThat(monitor.metrics(Duration.ofHours(1)).counts().predictions()).isEqualTo(23);
    }

    @Test
    void badInferenceRequestsAreErrorsNamingWhatIsWrong() throws Exception {
        Map<String, Object> wrongCount = new LinkedHashMap<>(matrix(2));
        wrongCount.put("shape", List.of(3, 5));
        assertThat(valid(call("POST", "/v2/models/chapter/infer", Map.of("inputs", List.of(wrongCount)), true), 400, "error")
                .get("error").asText()).contains("has 10 elements but its shape [3, 5] needs 15");
        Map<String, Object> wrongType = new LinkedHashMap<>(matrix(1));
        wrongType.put("datatype", "INT64");
        assertThat(valid(call("POST", "/v2/models/chapter/infer", Map.of("inputs", List.of(wrongType)), true), 400, "error")
                .get("error").asText()).contains("must be a whole number in range for INT64");
        Map<String, Object> wrongWidth = new LinkedHashMap<>(matrix(1));
        wrongWidth.put("shape", List.of(5, 1));
        valid(call("POST", "/v2/models/chapter/infer", Map.of("inputs", List.of(wrongWidth)), true), 400, "error");
        JsonNode missing = valid(call("POST", "/v2/models/chapter/infer", Map.of("inputs", List.of(
                Map.of("name", "feature_0", "shape", List.of(1), "datatype", "FP32", "data", List.of(1.0)))), true), 400, "error");
        assertThat(missing.get("error").asText()).contains("feature_1");
        valid(call("POST", "/v2/models/chapter/infer", "{\"inputs\": 7}", true), 400, "error");
        valid(call("POST", "/v2/models/chapter/infer", "[1, 2]", true), 400, "error");
        valid(call("POST", "/v2/models/chapter/infer", "{\"inputs\": [", true), 400, "error");
        valid(call("POST", "/v2/models/chapter/infer", Map.of("id", 5, "inputs", List.of(matrix(1))), true), 400, "error");
        valid(call("POST", "/v2/models/chapter/infer", Map.of("inputs", List.of(matrix(1)),
                "outputs", List.of(Map.of("name", "nope"))), true), 400, "error");
        valid(call("POST", "/v2/models/chapter/infer", Map.of("inputs", List.of(matrix(1))), false), 401, "error");
        valid(call("GET", "/v2/models/chapter/infer", null, true), 405, "error");
    }
}
