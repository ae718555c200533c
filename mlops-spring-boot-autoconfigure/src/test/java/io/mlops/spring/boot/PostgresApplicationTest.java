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
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spring Boot application on a random port with a PostgreSQL DataSource and mlops.* properties:
 * the registry, data versioning and monitor live in the application's database; /actuator/health
 * reports the models, /actuator/mlops lists them with their aliases, /actuator/prometheus carries
 * the mlops meters and passes promtool. Skipped, saying so, when PostgreSQL is not reachable.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mlops.store=jdbc", "mlops.actor=ci", "mlops.metrics.refresh=200ms",
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
        assertThat(mlops.at("/details/models/0").asText()).isEqualTo("churn");

        JsonNode models = JSON.readTree(Http.get(env, "/actuator/mlops").body());
        assertThat(models.at("/models/churn/aliases/production").asText()).isEqualTo("1.0.0");
        assertThat(JSON.readTree(Http.get(env, "/actuator/mlops/churn").body()).at("/versions/0/version").asText())
                .isEqualTo("1.0.0");

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String scrape = Http.get(env, "/actuator/prometheus").body();
        while (!scrape.contains("mlops_monitor_requests{")) { // the monitor's gauges appear at the next refresh
            assertThat(System.nanoTime()).as("the monitor's gauges in the scrape").isLessThan(deadline);
            Thread.sleep(100);
            scrape = Http.get(env, "/actuator/prometheus").body();
        }
        assertThat(scrape).contains("mlops_registry_events_total{model=\"churn\",type=\"registered\"} 1.0")
                .contains("mlops_monitor_queue_depth");
        io.mlops.core.testkit.Promtool.check(scrape, "mlops_"); // the JVM meters of Spring's own are not ours to lint
    }
}
