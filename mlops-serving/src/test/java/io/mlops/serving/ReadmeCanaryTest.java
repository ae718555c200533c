package io.mlops.serving;

import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's canary block runs as shown: the rollout of 1.2.0 begins at 10%. */
class ReadmeCanaryTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeCanaryBlockRuns() throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        for (String v : new String[] {"1.0.0", "1.2.0"}) {
            registry.register("churn").version(v).artifact(v.getBytes()).save();
        }
        registry.setAlias("churn", "production", "1.0.0");
        ModelLoader loader = (r, v) -> features -> Prediction.of(v.version());
        try (ModelMonitor monitor = ModelMonitor.builder().build()) {
            // README canary: begin
            ModelServer server = ModelServer.builder()
                    .fromRegistry(registry, "churn", "production", loader)
                    .canary("staging", 0.10)
                    .analysis(CanaryAnalysis.builder()
                            .steps(0.25, 0.50)                          // 10% -> 25% -> 50% -> promote
                            .stepDuration(Duration.ofMinutes(10))       // each step lasts at least this
                            .minRequests(500)                           // per version, before anything is judged
                            .errorRateMargin(0.01)                      // not worse than production by > 1 point
                            .latencyP95(1.5, Duration.ofMillis(5))      // p95 within 1.5 x production's + 5 ms
                            .build())
                    .monitor(monitor)
                    .port(0)
                    .build().start();
            registry.setAlias("churn", "staging", "1.2.0");             // begins the rollout of 1.2.0
            // README canary: end
            try (server) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!"1.2.0".equals(server.canaryVersion()) && System.nanoTime() < deadline) {
                    Thread.sleep(20); // the poller (5 s by default) finds the new staging version
                }
                // README canary-state: begin
                Rollout rollout = server.checkRollout();                // runs every 30 s by itself
                // README canary-state: end
                assertThat(rollout.state()).isEqualTo(Rollout.State.RUNNING);
                assertThat(rollout.share()).isEqualTo(0.10);
                HttpClient http = HttpClient.newHttpClient();
                int canary = 0;
                for (int i = 0; i < 400; i++) {
                    String body = http.send(HttpRequest.newBuilder(server.uri().resolve("/predict"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"x\": 1}")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    canary += body.contains("\"model_version\":\"1.2.0\"") ? 1 : 0;
                }
                assertThat(canary).as("about 10%% of 400").isBetween(15, 70);
            }
        }
        io.mlops.core.testkit.ReadmeBlocks.assertShown(Path.of("src/test/java/io/mlops/serving/ReadmeCanaryTest.java"), "canary");
        io.mlops.core.testkit.ReadmeBlocks.assertShown(Path.of("src/test/java/io/mlops/serving/ReadmeCanaryTest.java"),
                "canary-state");
    }
}
