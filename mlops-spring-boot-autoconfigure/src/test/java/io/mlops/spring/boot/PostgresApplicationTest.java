package io.mlops.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.data.DataVersioning;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spring Boot application on a random port with a PostgreSQL DataSource and mlops.* properties:
 * the registry, data versioning and monitor live in the application's database; the prediction
 * endpoints, inside the application's own web server, serve an ONNX model from the registry over
 * real HTTP, traced through the application's
 * OpenTelemetry (the SDK's in-memory exporter); /actuator/health reports the model served,
 * /actuator/mlops lists the models with their aliases, /actuator/prometheus carries the mlops meters
 * and passes promtool. Skipped, saying so, when PostgreSQL is not reachable.
 */
@SpringBootTest(classes = {TestApplication.class, PostgresApplicationTest.Tracing.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mlops.store=jdbc", "mlops.actor=ci", "mlops.metrics.refresh=200ms",
        "mlops.serving.model=iris", "mlops.serving.poll-interval=200ms",
        "management.endpoints.web.exposure.include=health,mlops,prometheus",
        "management.endpoint.health.show-details=always"})
class PostgresApplicationTest {

    static final String SCHEMA = "spring_app_" + ProcessHandle.current().pid();
    static final String BASE = "jdbc:postgresql://127.0.0.1:5432/test";
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ModelRegistry registry;
    @Autowired
    DataVersioning data;
    @Autowired
    ModelMonitor monitor;
    @Autowired
    Environment env;
    @Autowired
    io.mlops.serving.ModelServer server;

    static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "mlops-spring-pg-" + ProcessHandle.current().pid());
    static final io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter SPANS =
            io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();

    /** The application's OpenTelemetry: the SDK, spans kept in memory. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Tracing {
        @org.springframework.context.annotation.Bean(destroyMethod = "close")
        io.opentelemetry.sdk.OpenTelemetrySdk openTelemetry() {
            return io.opentelemetry.sdk.OpenTelemetrySdk.builder().setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider
                    .builder().addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(SPANS)).build())
                    .setPropagators(io.opentelemetry.context.propagation.ContextPropagators.create(
                            io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance())).build();
        }
    }

    static boolean reachable() {
        try (Connection c = DriverManager.getConnection(BASE, "postgres", null)) {
            return c.isValid(5);
        } catch (Exception e) {
            return false;
        }
    }

    @BeforeAll
    static void schema() throws Exception {
        if (!reachable()) {
            System.out.println("SKIPPED PostgresApplicationTest: PostgreSQL not reachable at 127.0.0.1:5432");
        }
        Assumptions.assumeTrue(reachable(), "PostgreSQL not reachable at 127.0.0.1:5432");
        try (Connection c = DriverManager.getConnection(BASE, "postgres", null); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
        // the model is registered before the application starts, as a deployment would find it
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(BASE + "?currentSchema=" + SCHEMA);
        ds.setUser("postgres");
        ModelRegistry registry = ModelRegistry.builder().store(io.mlops.registry.spi.ModelStore.jdbc(ds))
                .blobStore(io.mlops.core.spi.BlobStore.fileSystem(ROOT.resolve("registry/blobs"))).build();
        registry.register("iris").version("1.0.0")
                .artifact(java.nio.file.Files.readAllBytes(Path.of("../mlops-onnx/src/test/resources/models/iris_logreg.onnx")))
                .save();
        registry.setAlias("iris", "production", "1.0.0");
    }

    @AfterAll
    static void drop() throws Exception {
        if (reachable()) {
            try (Connection c = DriverManager.getConnection(BASE, "postgres", null); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    @DynamicPropertySource
    static void dataSource(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", () -> BASE + "?currentSchema=" + SCHEMA);
        r.add("spring.datasource.username", () -> "postgres");
        r.add("mlops.root", ROOT::toString);
    }

    @Test
    void theServerServesTheRegistrysOnnxModelTracedAndMonitored() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        java.net.URI predict = java.net.URI.create("http://127.0.0.1:" + env.getProperty("local.server.port") + "/mlops/predict");
        assertThat(server.modelVersion()).isEqualTo("1.0.0");
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(predict).header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"sepal_length\": 5.8, \"sepal_width\": 2.8, \"petal_length\": 5.1, \"petal_width\": 2.4}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("prediction").asInt()).isEqualTo(2); // virginica, as scikit-learn says
        long id = JSON.readTree(r.body()).get("prediction_id").asLong();
        monitor.flush();
        assertThat(monitor.predictionsOfTrace(trace)).containsExactly(id);
        assertThat(SPANS.getFinishedSpanItems()).anySatisfy(s -> {
            assertThat(s.getName()).isEqualTo("POST /predict");
            assertThat(s.getTraceId()).isEqualTo(trace);
        });

        JsonNode mlops = JSON.readTree(Http.get(env, "/actuator/health").body()).at("/components/mlops");
        assertThat(mlops.get("status").asText()).isEqualTo("UP");
        assertThat(mlops.at("/details/serving_model").asText()).isEqualTo("iris");
        assertThat(mlops.at("/details/serving_version").asText()).isEqualTo("1.0.0");
        assertThat(Http.get(env, "/actuator/prometheus").body())
                .contains("mlops_server_requests_seconds_count{endpoint=\"predict\",model=\"iris\",outcome=\"SUCCESS\","
                        + "status=\"200\",version=\"1.0.0\"} 1")
                .contains("mlops_model_loads_seconds_count{alias=\"production\",model=\"iris\",outcome=\"success\"} 1");
    }

    @Test
    void theStoresLiveInTheApplicationsDatabaseAndActuatorShowsThem() throws Exception {
        registry.register("churn").version("1.0.0").artifact(new byte[] {1, 2, 3}).save();
        registry.setAlias("churn", "production", "1.0.0");
        long id = monitor.prediction().output(1).modelVersion("1.0.0").latency(Duration.ofMillis(3)).log();
        monitor.flush();
        try (Connection c = DriverManager.getConnection(BASE + "?currentSchema=" + SCHEMA, "postgres", null);
             Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT COUNT(*) FROM predictions WHERE id = " + id);
            assertThat(rs.next() && rs.getLong(1) == 1).as("the monitor's record is in the application's database").isTrue();
        }
        assertThat(data.names()).isEmpty();
        try (Connection c = DriverManager.getConnection(BASE + "?currentSchema=" + SCHEMA, "postgres", null);
             Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT COUNT(*) FROM mlops_model_versions WHERE model = 'churn'");
            assertThat(rs.next() && rs.getLong(1) == 1).as("the registry's version is in the application's database").isTrue();
        }

        HttpResponse<String> health = Http.get(env, "/actuator/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode mlops = JSON.readTree(health.body()).at("/components/mlops");
        assertThat(mlops.get("status").asText()).isEqualTo("UP");
        assertThat(mlops.at("/details/models")).extracting(JsonNode::asText).contains("churn", "iris");

        JsonNode models = JSON.readTree(Http.get(env, "/actuator/mlops").body());
        assertThat(models.at("/models/churn/aliases/production").asText()).isEqualTo("1.0.0");
        assertThat(JSON.readTree(Http.get(env, "/actuator/mlops/churn").body()).at("/versions/0/version").asText())
                .isEqualTo("1.0.0");
        for (String unknown : new String[] {"nope", "..%2F..%2Fetc", "x".repeat(5_000), "%00"}) {
            HttpResponse<String> r = Http.get(env, "/actuator/mlops/" + unknown);
            assertThat(r.statusCode()).as(unknown.length() > 20 ? "a long name" : unknown).isIn(400, 404);
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }

        // the monitor's gauges appear at the next refresh
        io.mlops.core.testkit.Eventually.await("the monitor's gauges in the scrape", Duration.ofSeconds(60),
                () -> Http.get(env, "/actuator/prometheus").body().contains("mlops_monitor_requests{"));
        String scrape = Http.get(env, "/actuator/prometheus").body();
        assertThat(scrape).contains("mlops_registry_events_total{model=\"churn\",type=\"registered\"} 1.0")
                .contains("mlops_monitor_queue_depth");
        io.mlops.core.testkit.Promtool.check(scrape, "mlops_"); // the JVM meters of Spring's own are not ours to lint
    }
}
