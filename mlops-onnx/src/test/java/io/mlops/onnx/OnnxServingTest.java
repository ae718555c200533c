package io.mlops.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelLoader;
import io.mlops.serving.ModelServer;
import io.mlops.serving.Predictor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An ONNX model registered as an artifact and served from the registry by {@code OnnxModel.loader()}. */
class OnnxServingTest {

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    JsonNode post(ModelServer server, String path, Object body, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return json.readTree(r.body());
    }

    @Test
    void servesTheChaptersModelAsScikitLearnPredictsItAndSwapsVersionsClosingTheOldOne() throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        byte[] onnx = Files.readAllBytes(OnnxModelTest.MODELS.resolve("chapter_forest.onnx"));
        registry.register("chapter").version("1.0.0").artifact(onnx).tag("format", "onnx").save();
        registry.register("chapter").version("1.1.0").artifact(Files.readAllBytes(OnnxModelTest.MODELS.resolve("iris_logreg.onnx"))).save();
        registry.setAlias("chapter", "production", "1.0.0");
        List<Predictor> loaded = new CopyOnWriteArrayList<>();
        ModelLoader counting = (r, v) -> {
            Predictor p = OnnxModel.loader().load(r, v);
            loaded.add(p);
            return p;
        };
        JsonNode expected = OnnxModelTest.expected("chapter_forest");
        List<Map<String, Object>> instances = OnnxModelTest.instances(expected);
        try (ModelServer server = ModelServer.builder().fromRegistry(registry, "chapter", "production", counting)
                .pollInterval(Duration.ofMillis(50)).port(0).build().start()) {
            for (int i = 0; i < 10; i++) {
                JsonNode one = post(server, "/predict", instances.get(i), 200);
                assertThat(one.get("prediction").asLong()).isEqualTo(expected.get("labels").get(i).asLong());
                assertThat(one.get("model_version").asText()).isEqualTo("1.0.0");
            }
            JsonNode batch = post(server, "/batch_predict", Map.of("instances", instances, "batch_size", 1000), 200);
            for (int i = 0; i < instances.size(); i++) {
                assertThat(batch.get("predictions").get(i).asLong()).isEqualTo(expected.get("labels").get(i).asLong());
            }
            // the schema comes from the graph: a missing or non-numeric feature is a 400 naming it
            JsonNode missing = post(server, "/predict", Map.of("feature_0", 1.0), 400);
            assertThat(missing.get("field").asText()).isEqualTo("feature_1");
            JsonNode wrong = post(server, "/predict", Map.of("feature_0", "x", "feature_1", 1, "feature_2", 1, "feature_3", 1,
                    "feature_4", 1), 400);
            assertThat(wrong.get("field").asText()).isEqualTo("feature_0");
            HttpResponse<String> info = http.send(HttpRequest.newBuilder(server.uri().resolve("/model_info")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(json.readTree(info.body()).get("features")).hasSize(5);
            assertThat(json.readTree(info.body()).get("model_type").asText()).startsWith("onnx classifier");

            registry.setAlias("chapter", "production", "1.1.0");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"1.1.0".equals(server.modelVersion()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.modelVersion()).isEqualTo("1.1.0");
            assertThatThrownBy(() -> loaded.get(0).predict(instances.get(0))).hasMessageContaining("closed");
            JsonNode iris = post(server, "/predict", Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4,
                    "petal_width", 0.2), 200);
            assertThat(iris.get("prediction").asLong()).isZero();
        }
        assertThatThrownBy(() -> loaded.get(1).predict(Map.of())).as("closed with the server").hasMessageContaining("closed");
    }
}
