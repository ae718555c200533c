package io.mlops.micrometer;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelServer;
import io.mlops.serving.Prediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's Micrometer walk-through runs, and its scrape passes promtool. */
class ReadmeMicrometerTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeShowsTheCodeThatRuns() throws Exception {
        io.mlops.core.testkit.ReadmeBlocks.assertShown(Path.of("src/test/java/io/mlops/micrometer/ReadmeMicrometerTest.java"),
                "micrometer");
    }

    @Test
    void bindTheServerMonitorAndRegistryToAPrometheusRegistry() throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        registry.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
        registry.setAlias("churn", "production", "1.0.0");
        try (ModelMonitor monitor = ModelMonitor.builder().build();
             ModelServer server = ModelServer.builder().fromRegistry(registry, "churn", "production",
                     (reg, v) -> features -> Prediction.of(1)).monitor(monitor).port(0).build()) {
            // README micrometer: begin
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            meters.config().meterFilter(new MeterFilter() {      // optional: histograms for latency SLOs
                @Override
                public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                    return id.getName().equals(ServerMeters.REQUESTS)
                            ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config) : config;
                }
            });
            MlopsMeters.bind(meters, server);      // mlops.server.requests, mlops.model.loads
            MlopsMeters.bind(meters, monitor);     // mlops.monitor.* per model version over the last hour
            MlopsMeters.bind(meters, registry);    // mlops.registry.events
            server.start();
            // ... traffic ...
            String scrape = meters.scrape();        // what GET /actuator/prometheus would answer
            // README micrometer: end
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 20; i++) {
                assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("predict"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"x\": " + i + "}")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
            registry.register("churn").version("1.1.0").artifact(new byte[] {2}).save();
            monitor.flush();
            scrape = meters.scrape();
            assertThat(scrape).contains("mlops_server_requests_seconds_bucket{endpoint=\"predict\"")
                    .contains("mlops_model_loads_seconds_count{alias=\"production\",model=\"churn\",outcome=\"success\"} 1")
                    .contains("mlops_registry_events_total{model=\"churn\",type=\"registered\"} 1.0")
                    .contains("mlops_monitor_queue_depth");
            io.mlops.core.testkit.Promtool.check(scrape);
        }
    }
}
