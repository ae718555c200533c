package io.mlops.micrometer;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelLoader;
import io.mlops.serving.ModelServer;
import io.mlops.serving.Prediction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's timers count every answered request under its endpoint, model, version, status and
 * outcome, and every load; the Prometheus scrape passes promtool; close() removes the meters.
 */
class ServerMetersTest {

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

    int post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void timesRequestsAndLoadsWithLowCardinalityTags() throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        registry.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
        registry.setAlias("churn", "production", "1.0.0");
        ModelLoader loader = (reg, v) -> features -> {
            if (features.containsKey("boom")) {
                throw new IllegalStateException("the model failed");
            }
            return Prediction.of(1);
        };
        server = ModelServer.builder().fromRegistry(registry, "churn", "production", loader).port(0).build();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServerMeters binding = MlopsMeters.bind(meters, server);
        server.start();

        for (int i = 0; i < 3; i++) {
            assertThat(post("predict", "{\"x\": " + i + "}")).isEqualTo(200);
        }
        assertThat(post("predict", "{\"boom\": 1}")).isEqualTo(500);
        assertThat(post("predict", "[")).isEqualTo(400);

        Timer ok = meters.get(ServerMeters.REQUESTS).tags("endpoint", "predict", "model", "churn", "version", "1.0.0",
                "status", "200", "outcome", "SUCCESS").timer();
        assertThat(ok.count()).isEqualTo(3);
        assertThat(ok.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(meters.get(ServerMeters.REQUESTS).tags("status", "500", "outcome", "SERVER_ERROR").timer().count()).isEqualTo(1);
        assertThat(meters.get(ServerMeters.REQUESTS).tags("status", "400", "outcome", "CLIENT_ERROR").timer().count()).isEqualTo(1);
        assertThat(meters.get(ServerMeters.LOADS).tags("model", "churn", "alias", "production", "outcome", "success").timer()
                .count()).isEqualTo(1);

        String scrape = meters.scrape();
        assertThat(scrape).contains("mlops_server_requests_seconds_count{endpoint=\"predict\",model=\"churn\",outcome=\"SUCCESS\","
                + "status=\"200\",version=\"1.0.0\"} 3").contains("mlops_model_loads_seconds_count");
        io.mlops.core.testkit.Promtool.check(scrape);

        binding.close();
        assertThat(meters.find(ServerMeters.REQUESTS).meters()).isEmpty();
        assertThat(post("predict", "{\"x\": 1}")).isEqualTo(200);
        assertThat(meters.find(ServerMeters.REQUESTS).meters()).as("unbound: nothing recorded").isEmpty();
    }

    @Test
    void aPathTheServerDoesNotHaveIsOneSeriesWhateverThePath() throws Exception {
        server = ModelServer.builder().predictor(f -> Prediction.of(1)).modelName("m").modelVersion("1").port(0).build().start();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MlopsMeters.bind(meters, server);
        for (int i = 0; i < 50; i++) {
            assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("scan/" + i + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
        assertThat(meters.find(ServerMeters.REQUESTS).meters()).as("no path in the tags").hasSize(1);
        assertThat(meters.get(ServerMeters.REQUESTS).tag("endpoint", "other").timer().count()).isEqualTo(50);
    }

    @Test
    void bindsBeforeOrAfterStartAndToTwoRegistries() throws Exception {
        server = ModelServer.builder().predictor(f -> Prediction.of(1)).modelName("m").modelVersion("1").port(0).build().start();
        SimpleMeterRegistry one = new SimpleMeterRegistry();
        SimpleMeterRegistry two = new SimpleMeterRegistry();
        ServerMeters meters = new ServerMeters(server);
        meters.bindTo(one);
        meters.bindTo(two);
        assertThat(post("predict", "{}")).isEqualTo(200);
        assertThat(one.get(ServerMeters.REQUESTS).timer().count()).isEqualTo(1);
        assertThat(two.get(ServerMeters.REQUESTS).timer().count()).isEqualTo(1);
        meters.close();
        assertThat(one.getMeters()).isEmpty();
        assertThat(two.getMeters()).isEmpty();
    }
}
