package io.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A version that cannot be loaded, of any failure (an OutOfMemoryError included), leaves the
 * poller alive and the version before serving, and the server says so on /health and /metrics.
 * Before, an Error thrown out of the scheduled poll cancelled it: the server never followed the
 * alias again, silently.
 */
class AliasLoadFailureTest {

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

    String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    String predicted() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("predict"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"x\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("prediction").asText();
    }

    /** Waits (up to a generous deadline) until the condition holds. */
    static void eventually(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.call()) {
            assertThat(System.nanoTime() < deadline).as("within 60 s: " + what).isTrue();
            Thread.sleep(20);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"OutOfMemoryError", "StackOverflowError", "IllegalStateException", "LinkageError"})
    void aVersionThatCannotBeLoadedKeepsThePreviousServingAndThePollerAlive(String failure) throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        for (String v : new String[] {"1.0.0", "2.0.0", "3.0.0"}) {
            registry.register("churn").version(v).artifact(v.getBytes()).save();
        }
        registry.setAlias("churn", "production", "1.0.0");
        AtomicInteger attempts = new AtomicInteger();
        ModelLoader loader = (reg, version) -> {
            if (version.version().equals("2.0.0")) {
                attempts.incrementAndGet();
                switch (failure) {
                    case "OutOfMemoryError" -> throw new OutOfMemoryError("Java heap space (an artifact larger than the heap)");
                    case "StackOverflowError" -> throw new StackOverflowError();
                    case "LinkageError" -> throw new LinkageError("a native library is missing");
                    default -> throw new IllegalStateException("a broken artifact");
                }
            }
            return features -> Prediction.of(version.version());
        };
        server = ModelServer.builder().fromRegistry(registry, "churn", "production", loader)
                .pollInterval(Duration.ofMillis(50)).port(0).build().start();
        assertThat(predicted()).isEqualTo("1.0.0");

        registry.setAlias("churn", "production", "2.0.0");
        eventually("the failure shows on /health", () -> JSON.readTree(get("health")).has("model_load_errors"));
        JsonNode health = JSON.readTree(get("health"));
        assertThat(health.get("status").asText()).isEqualTo("degraded");
        assertThat(health.get("model_version").asText()).isEqualTo("1.0.0");
        JsonNode error = health.get("model_load_errors").get(0);
        assertThat(error.get("alias").asText()).isEqualTo("production");
        assertThat(error.get("version").asText()).isEqualTo("2.0.0");
        assertThat(error.get("error").asText()).startsWith(failure);
        assertThat(predicted()).isEqualTo("1.0.0");
        assertThat(get("metrics")).contains("mlops_model_load_failing{alias=\"production\"} 1")
                .containsPattern("mlops_model_load_failures_total\\{alias=\"production\"\\} [1-9]");

        registry.setAlias("churn", "production", "3.0.0");
        eventually("the poller follows the next move", () -> predicted().equals("3.0.0"));
        health = JSON.readTree(get("health"));
        assertThat(health.get("status").asText()).isEqualTo("healthy");
        assertThat(health.has("model_load_errors")).isFalse();
        assertThat(get("metrics")).contains("mlops_model_load_failing{alias=\"production\"} 0");
        assertThat(attempts.get()).isPositive();
    }

    @org.junit.jupiter.api.Test
    void aVersionItsAliasPolicyDoesNotTrustIsNotLoadedAndThePreviousKeepsServing() throws Exception {
        java.security.KeyPair release = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ModelRegistry writer = ModelRegistry.fileSystem(dir.resolve("registry")); // a writer without the policy
        for (String v : new String[] {"1.0.0", "2.0.0", "3.0.0"}) {
            writer.register("churn").version(v).artifact(v.getBytes()).save();
        }
        writer.sign("churn", "1.0.0", io.mlops.registry.ModelSigner.ed25519(release.getPrivate(), "release"));
        writer.sign("churn", "3.0.0", io.mlops.registry.ModelSigner.ed25519(release.getPrivate(), "release"));
        writer.setAlias("churn", "production", "1.0.0");
        ModelRegistry guarded = ModelRegistry.builder().fileSystem(dir.resolve("registry"))
                .trustPolicy("production", io.mlops.registry.TrustPolicy.signedBy(release.getPublic())).build();
        server = ModelServer.builder().fromRegistry(guarded, "churn", "production", (reg, version) ->
                features -> Prediction.of(version.version())).pollInterval(Duration.ofMillis(50)).port(0).build().start();
        assertThat(predicted()).isEqualTo("1.0.0");

        writer.setAlias("churn", "production", "2.0.0"); // unsigned, moved by a process that does not check
        eventually("the refusal shows on /health", () -> JSON.readTree(get("health")).has("model_load_errors"));
        JsonNode error = JSON.readTree(get("health")).get("model_load_errors").get(0);
        assertThat(error.get("version").asText()).isEqualTo("2.0.0");
        assertThat(error.get("error").asText()).contains("UntrustedModelException").contains("not signed");
        assertThat(predicted()).isEqualTo("1.0.0");

        writer.setAlias("churn", "production", "3.0.0");
        eventually("a signed version is followed", () -> predicted().equals("3.0.0"));
    }
}
