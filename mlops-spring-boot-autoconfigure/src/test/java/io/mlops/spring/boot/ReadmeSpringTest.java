package io.mlops.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Spring Boot section runs: its properties (with SQLite standing in for the
 * application's PostgreSQL, so this test needs no server) and its service, wired by the starter.
 */
@SpringBootTest(classes = ReadmeSpringTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:application-readme.properties")
class ReadmeSpringTest {

    static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "mlops-readme-spring-" + ProcessHandle.current().pid());

    @DynamicPropertySource
    static void dataSource(DynamicPropertyRegistry r) throws Exception {
        Files.createDirectories(DIR);
        r.add("spring.datasource.url", () -> "jdbc:sqlite:" + DIR.resolve("app.db"));
        r.add("mlops.root", () -> DIR.resolve("mlops").toString()); // the blobs; not the module's working folder
    }

    /** The application (no component scan, so the other tests' configurations stay out). */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Scoring.class)
    static class App {
    }

    // README spring: begin
    @Service
    static class Scoring {
        private final ModelRegistry registry;   // from mlops.* properties, in the application's DataSource
        private final ModelMonitor monitor;

        Scoring(ModelRegistry registry, ModelMonitor monitor) {
            this.registry = registry;
            this.monitor = monitor;
        }

        String production(String model) {
            return registry.byAlias(model, "production").map(ModelVersion::version).orElseThrow();
        }
    }
    // README spring: end

    @Autowired
    Scoring scoring;
    @Autowired
    Environment env;

    @Test
    void theReadmeShowsTheCodeThatRuns() throws Exception {
        io.mlops.core.testkit.ReadmeBlocks.assertShown(Path.of("src/test/java/io/mlops/spring/boot/ReadmeSpringTest.java"),
                "spring");
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String line : Files.readAllLines(Path.of("src/test/resources/application-readme.properties"))) {
            assertThat(readme).as("README property line").contains(line.strip());
        }
    }

    @Test
    void theServiceIsWiredAndActuatorAnswers() throws Exception {
        scoring.registry.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
        scoring.registry.setAlias("churn", "production", "1.0.0");
        assertThat(scoring.production("churn")).isEqualTo("1.0.0");
        scoring.monitor.prediction().output(1).modelVersion("1.0.0").latency(Duration.ofMillis(2)).log();
        scoring.monitor.flush();
        assertThat(new ObjectMapper().readTree(Http.get(env, "/actuator/mlops").body()).at("/models/churn/latest").asText())
                .isEqualTo("1.0.0");
        assertThat(Http.get(env, "/actuator/health").body()).contains("\"mlops\"");
    }
}
