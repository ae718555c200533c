package io.mlops.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.core.AccessTokens;
import io.mlops.core.testkit.Eventually;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelServer;
import io.mlops.serving.internal.MultiModelServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server, 30 ONNX models of a registry (the four test models of scikit-learn, each registered
 * under several names) under a memory budget that holds 10: every request under mixed concurrent
 * load gets its model's right answer, the resident models never exceed the budget, a model whose
 * artifact is broken answers 503 with the reason while the others serve, an alias moving for one
 * model changes that model only, and the repository extension lists, unloads and loads.
 */
class ManyModelsTest {

    static final String READER = "reader-token-sixteen";
    static final String DEPLOYER = "deployer-token-sixteen";
    static final String[] KINDS = {"chapter_forest", "breast_cancer_forest", "iris_logreg", "diabetes_linear"};

    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> post(ModelServer server, String path, Object body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : json.writeValueAsString(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thirtyModelsUnderABudgetOfTen() throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        List<JsonNode> expected = new ArrayList<>();
        List<List<Map<String, Object>>> rows = new ArrayList<>();
        for (String kind : KINDS) {
            expected.add(OnnxModelTest.expected(kind));
            rows.add(OnnxModelTest.instances(expected.get(expected.size() - 1)));
        }
        for (int i = 0; i < 30; i++) {
            String name = String.format("m%02d", i);
            registry.register(name).version("1.0.0").artifact(Files.readAllBytes(OnnxModelTest.MODELS.resolve(KINDS[i % 4] + ".onnx")))
                    .save();
            registry.setAlias(name, "production", "1.0.0");
        }
        registry.register("broken").version("1.0.0").artifact("not an onnx model".getBytes()).save();
        registry.setAlias("broken", "production", "1.0.0");
        long budget = 0; // what m00..m09 take: the budget holds ten models, the thirty need three times that
        for (int i = 0; i < 10; i++) {
            budget += Files.size(OnnxModelTest.MODELS.resolve(KINDS[i % 4] + ".onnx"));
        }
        AccessTokens tokens = AccessTokens.builder().token(AccessTokens.Role.READER, READER)
                .token(AccessTokens.Role.DEPLOYER, DEPLOYER).build();
        try (ModelServer server = ModelServer.builder().models(registry, "production", OnnxModel.loader()).memoryBudget(budget)
                .pin("m00").accessTokens(tokens).pollInterval(Duration.ofMillis(200)).threads(16).port(0).build().start()) {
            MultiModelServer many = (MultiModelServer) server;
            assertThat(server.loadedModels()).as("the pinned model loads at start").containsOnlyKeys("m00");
            AtomicLong worst = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    worst.accumulateAndGet(many.residentBytes(), Math::max);
                    Thread.onSpinWait();
                }
            });
            sampler.start();
            AtomicLong answered = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    for (int n = 0; n < 120; n++) {
                        int model = r.nextInt(30);
                        int kind = model % 4;
                        int row = r.nextInt(rows.get(kind).size());
                        HttpResponse<String> answer = post(server, String.format("/models/m%02d/predict", model),
                                rows.get(kind).get(row), READER);
                        if (answer.statusCode() == 503 && answer.body().contains("try again")) {
                            continue; // the budget was taken by models in use: a documented, retryable answer
                        }
                        if (answer.statusCode() != 200) {
                            return "m" + model + ": " + answer.statusCode() + " " + answer.body();
                        }
                        JsonNode p = json.readTree(answer.body()).get("prediction");
                        JsonNode want = kind == 3 ? expected.get(kind).get("values").get(row) : expected.get(kind).get("labels").get(row);
                        boolean right = kind == 3 ? Math.abs(p.asDouble() - want.asDouble()) <= Math.abs(want.asDouble()) * 1e-4 + 1e-4
                                : p.asLong() == want.asLong();
                        if (!right) {
                            return "m" + model + " row " + row + ": " + p + " instead of " + want;
                        }
                        answered.incrementAndGet();
                    }
                    return null;
                }));
            }
            // meanwhile: the broken model answers 503 with its reason, and one model's alias moves
            HttpResponse<String> broken = post(server, "/models/broken/predict", rows.get(0).get(0), READER);
            assertThat(broken.statusCode()).isEqualTo(503);
            assertThat(json.readTree(broken.body()).get("error").asText()).contains("broken").contains("cannot be served");
            registry.register("m05").version("1.1.0").artifact(Files.readAllBytes(OnnxModelTest.MODELS.resolve(KINDS[1] + ".onnx")))
                    .metadata("note", "the same model again").save();
            registry.setAlias("m05", "production", "1.1.0");
            for (Future<String> f : results) {
                assertThat(f.get()).isNull();
            }
            pool.shutdownNow();
            sampling.set(false);
            sampler.join();
            assertThat(worst.get()).as("resident bytes, sampled throughout").isLessThanOrEqualTo(budget);
            assertThat(answered.get()).as("answered of 960 (the rest: 503, try again)").isGreaterThan(480);
            assertThat(server.loadedModels().size()).as("models were unloaded to make room").isLessThan(30);
            Eventually.await("m05 serves 1.1.0", Duration.ofSeconds(60), () -> {
                HttpResponse<String> info = http.send(HttpRequest.newBuilder(server.uri().resolve("/models/m05/model_info"))
                        .header("Authorization", "Bearer " + READER).build(), HttpResponse.BodyHandlers.ofString());
                return info.statusCode() == 200 && json.readTree(info.body()).get("model_version").asText().equals("1.1.0");
            });
            assertThat(post(server, "/models/broken/predict", rows.get(0).get(0), READER).statusCode()).isEqualTo(503);

            // the repository extension
            assertThat(post(server, "/v2/repository/index", "{}", null).statusCode()).isEqualTo(401);
            JsonNode index = json.readTree(post(server, "/v2/repository/index", "{}", READER).body());
            assertThat(index).hasSize(31);
            assertThat(index.findValuesAsText("state")).contains("READY").contains("UNAVAILABLE");
            assertThat(post(server, "/v2/repository/models/m00/unload", "{}", READER).statusCode()).isEqualTo(401);
            assertThat(post(server, "/v2/repository/models/m00/unload", "{}", DEPLOYER).statusCode()).isEqualTo(200);
            assertThat(server.loadedModels()).doesNotContainKey("m00");
            assertThat(post(server, "/v2/repository/models/m00/load", "{}", DEPLOYER).statusCode()).isEqualTo(200);
            assertThat(server.loadedModels()).containsEntry("m00", "1.0.0");
            assertThat(post(server, "/models/nope/predict", rows.get(0).get(0), READER).statusCode()).isEqualTo(404);
            // the Open Inference Protocol by name
            HttpResponse<String> meta = http.send(HttpRequest.newBuilder(server.uri().resolve("/v2/models/m02"))
                    .header("Authorization", "Bearer " + READER).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(meta.statusCode()).as(meta.body()).isEqualTo(200);
            assertThat(json.readTree(meta.body()).get("name").asText()).isEqualTo("m02");
        }
    }
}
