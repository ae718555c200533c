package io.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shadow traffic: every request is mirrored to the shadow alias's version in the background, which
 * never delays or fails the live response, logs under the shadow's version, and reports agreement.
 */
class ShadowTrafficTest {

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    ModelRegistry registry() {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        registry.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
        registry.register("churn").version("2.0.0").artifact(new byte[] {2}).save();
        registry.setAlias("churn", "production", "1.0.0");
        registry.setAlias("churn", "candidate", "2.0.0");
        return registry;
    }

    int predict(ModelServer server, int x) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve("/predict"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"x\": " + x + "}")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    JsonNode shadowStats(ModelServer server) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve("/model_info")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("shadow");
    }

    JsonNode awaitMirrored(ModelServer server, long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode stats = shadowStats(server);
        while (stats.get("mirrored").asLong() + stats.get("failed").asLong() + stats.get("dropped").asLong() < n
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
            stats = shadowStats(server);
        }
        return stats;
    }

    static Prediction parity(java.util.Map<String, Object> f) {
        return Prediction.of(((Number) f.get("x")).intValue() % 2);
    }

    @Test
    void aFailingShadowNeverFailsTheLiveResponseAndItsErrorsAreItsOwn() throws Exception {
        ModelLoader loader = (r, v) -> v.version().equals("1.0.0") ? ShadowTrafficTest::parity : f -> {
            throw new IllegalStateException("the candidate is broken");
        };
        try (ModelMonitor monitor = ModelMonitor.builder().build();
             ModelServer server = ModelServer.builder().fromRegistry(registry(), "churn", "production", loader)
                     .shadow("candidate").monitor(monitor).port(0).build().start()) {
            for (int i = 0; i < 50; i++) {
                assertThat(predict(server, i)).isEqualTo(200);
            }
            JsonNode stats = awaitMirrored(server, 50);
            assertThat(stats.get("failed").asLong()).isEqualTo(50);
            assertThat(stats.get("version").asText()).isEqualTo("2.0.0");
            monitor.flush();
            assertThat(monitor.metrics(Duration.ofHours(1), "1.0.0").counts().errors()).isZero();
            assertThat(monitor.metrics(Duration.ofHours(1), "1.0.0").counts().predictions()).isEqualTo(50);
            assertThat(monitor.metrics(Duration.ofHours(1), "2.0.0").counts().errors()).isEqualTo(50);
        }
    }

    @Test
    void aStuckShadowNeverDelaysTheLiveResponseAndOverflowIsDroppedAndCounted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ModelLoader loader = (r, v) -> v.version().equals("1.0.0") ? ShadowTrafficTest::parity : f -> {
            try {
                release.await(); // far slower than 50x: stuck until released
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return parity(f);
        };
        try (ModelServer server = ModelServer.builder().fromRegistry(registry(), "churn", "production", loader)
                .shadow("candidate").port(0).build().start()) {
            int total = 1_100;
            for (int i = 0; i < total; i++) {
                assertThat(predict(server, i)).as("live request %d while the shadow is stuck", i).isEqualTo(200);
            }
            JsonNode stuck = shadowStats(server);
            assertThat(stuck.get("mirrored").asLong()).isZero();
            assertThat(stuck.get("dropped").asLong()).as("beyond the queue of 1,000 and the one running").isGreaterThanOrEqualTo(99);
            release.countDown();
            JsonNode done = awaitMirrored(server, total);
            assertThat(done.get("mirrored").asLong() + done.get("dropped").asLong()).isEqualTo(total);
            assertThat(done.get("agreement").asDouble()).isEqualTo(1.0);
        }
    }

    @Test
    void shadowPredictionsAreLoggedUnderTheShadowsVersionAndDisagreementIsReported() throws Exception {
        ModelLoader loader = (r, v) -> v.version().equals("1.0.0") ? ShadowTrafficTest::parity
                : f -> Prediction.of(((Number) f.get("x")).intValue() % 4 == 0 ? 0 : 1); // agrees on 3 of 4
        try (ModelMonitor monitor = ModelMonitor.builder().build();
             ModelServer server = ModelServer.builder().fromRegistry(registry(), "churn", "production", loader)
                     .shadow("candidate").monitor(monitor).port(0).build().start()) {
            for (int i = 0; i < 200; i++) {
                assertThat(predict(server, i)).isEqualTo(200);
            }
            JsonNode stats = awaitMirrored(server, 200);
            assertThat(stats.get("mirrored").asLong()).isEqualTo(200);
            assertThat(stats.get("agreement").asDouble()).isEqualTo(0.75);
            monitor.flush();
            assertThat(monitor.metrics(Duration.ofHours(1), "2.0.0").counts().predictions()).isEqualTo(200);
            assertThat(monitor.metrics(Duration.ofHours(1), "1.0.0").counts().predictions()).isEqualTo(200);
        }
    }

    @Test
    void aShadowNeedsARegistry() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelServer.builder().predictor(ShadowTrafficTest::parity)
                .shadow("candidate").build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("fromRegistry");
    }
}
