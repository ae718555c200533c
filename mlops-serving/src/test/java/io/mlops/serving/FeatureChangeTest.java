package io.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server following an alias to a version that takes other features says so (log,
 * {@code /model_info}, {@code /metrics}), or, with {@code sameFeatures(true)}, keeps serving the
 * version before. Before, it switched without a word and clients got 400s for a missing feature.
 */
class FeatureChangeTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();
    ModelServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** 1.0.0 and 3.0.0 take a and b; 2.0.0 takes a and a string c. */
    static final ModelLoader LOADER = (registry, version) -> new Predictor() {
        @Override
        public Prediction predict(Map<String, Object> features) {
            return Prediction.of(version.version());
        }

        @Override
        public Optional<FeatureSchema> schema() {
            return Optional.of(version.version().equals("2.0.0") ? FeatureSchema.builder().number("a").string("c").build()
                    : FeatureSchema.builder().number("a").number("b").build());
        }
    };

    ModelRegistry registry() {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        for (String v : new String[] {"1.0.0", "2.0.0", "3.0.0"}) {
            registry.register("churn").version(v).artifact(v.getBytes()).save();
        }
        registry.setAlias("churn", "production", "1.0.0");
        return registry;
    }

    JsonNode get(String path) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve("metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void followingAnAliasToOtherFeaturesIsSaidOnModelInfoAndMetrics() throws Exception {
        ModelRegistry registry = registry();
        server = ModelServer.builder().fromRegistry(registry, "churn", "production", LOADER).pollInterval(Duration.ofMillis(50))
                .port(0).build().start();
        assertThat(get("model_info").has("feature_changes")).isFalse();
        registry.setAlias("churn", "production", "2.0.0");
        AliasLoadFailureTest.eventually("the server follows", () -> "2.0.0".equals(server.modelVersion()));
        JsonNode change = get("model_info").get("feature_changes").get(0);
        assertThat(change.get("alias").asText()).isEqualTo("production");
        assertThat(change.get("from_version").asText()).isEqualTo("1.0.0");
        assertThat(change.get("to_version").asText()).isEqualTo("2.0.0");
        assertThat(change.get("differences").toString()).isEqualTo("[\"feature 'b' is gone\",\"feature 'c' is new (a required string)\"]");
        assertThat(change.get("refused").asBoolean()).isFalse();
        assertThat(metrics()).contains("mlops_model_feature_changes_total{alias=\"production\"} 1");
    }

    @Test
    void withSameFeaturesAVersionOfOtherFeaturesIsRefusedAndTheOneBeforeKeepsServing() throws Exception {
        ModelRegistry registry = registry();
        server = ModelServer.builder().fromRegistry(registry, "churn", "production", LOADER).pollInterval(Duration.ofMillis(50))
                .sameFeatures(true).port(0).build().start();
        registry.setAlias("churn", "production", "2.0.0");
        AliasLoadFailureTest.eventually("the refusal shows", () -> get("health").has("model_load_errors"));
        JsonNode health = get("health");
        assertThat(health.get("status").asText()).isEqualTo("degraded");
        assertThat(health.at("/model_load_errors/0/error").asText()).contains("features differ").contains("feature 'b' is gone");
        assertThat(server.modelVersion()).isEqualTo("1.0.0");
        assertThat(get("model_info").at("/feature_changes/0/refused").asBoolean()).isTrue();
        // a version with the same features is followed
        registry.setAlias("churn", "production", "3.0.0");
        AliasLoadFailureTest.eventually("the server follows 3.0.0", () -> "3.0.0".equals(server.modelVersion()));
        assertThat(get("health").get("status").asText()).isEqualTo("healthy");
    }

    @Test
    void differencesNameEachFeature() {
        FeatureSchema a = FeatureSchema.builder().number("x").string("y").optionalNumber("z").build();
        FeatureSchema b = FeatureSchema.builder().number("x").number("y").number("z").bool("w").build();
        assertThat(a.differences(b)).containsExactly("feature 'y' was a required string, now a required number",
                "feature 'z' was an optional number, now a required number", "feature 'w' is new (a required boolean)");
        assertThat(a.differences(a)).isEmpty();
    }
}
