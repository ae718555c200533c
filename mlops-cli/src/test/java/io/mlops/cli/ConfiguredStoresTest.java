package io.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.data.DataVersioning;
import io.mlops.data.spi.DatasetStore;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.spi.ModelStore;
import io.mlops.s3.S3Server;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI on the fleet's stores, from a configuration file: metadata in PostgreSQL (a schema of
 * this test's; skipped, saying so, without the local server) and bytes in an S3 bucket (s3proxy
 * over HTTP with the real SDK). What the CLI writes, the library reads from the same places, and
 * nothing is written under --root.
 */
class ConfiguredStoresTest {

    @TempDir
    Path dir;
    TestDatabases.PostgresSchema schema;
    S3Server s3;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        schema = TestDatabases.postgres(getClass().getSimpleName()).orElse(null);
        Assumptions.assumeTrue(schema != null, "PostgreSQL not reachable at 127.0.0.1:5432");
        s3 = new S3Server(dir.resolve("s3"), "cli");
        System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
    }

    @AfterEach
    void stop() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (s3 != null) {
            s3.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    String[] args(Path config, String... rest) {
        String[] all = new String[rest.length + 4];
        all[0] = "--root";
        all[1] = dir.resolve("root").toString();
        all[2] = "--config";
        all[3] = config.toString();
        System.arraycopy(rest, 0, all, 4, rest.length);
        return all;
    }

    int run(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        int code = MlopsCli.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(err.toString()).as("stderr").isEmpty();
        return code;
    }

    @Test
    void registryDataAndMonitorCommandsUsePostgresAndTheBucket() throws Exception {
        Path config = dir.resolve("mlops.json");
        Files.writeString(config, json.writeValueAsString(java.util.Map.of("stores", java.util.Map.of(
                "jdbc", schema.jdbcUrl(),
                "s3", java.util.Map.of("bucket", "cli", "endpoint", s3.endpoint().toString(), "region", "us-east-1",
                        "path_style", true, "prefix", "prod/")))));
        Path model = Files.write(dir.resolve("model.bin"), "model bytes".getBytes());
        Path csv = Files.writeString(dir.resolve("train.csv"), "x,y\n1,a\n2,b\n");

        assertThat(run(new StringWriter(), args(config, "registry", "register", "churn", model.toString(),
                "--model-version", "1.0.0"))).isZero();
        assertThat(run(new StringWriter(), args(config, "registry", "alias", "churn", "production", "1.0.0",
                "--reason", "first"))).isZero();
        assertThat(run(new StringWriter(), args(config, "data", "commit", "train", csv.toString()))).isZero();
        StringWriter versions = new StringWriter();
        assertThat(run(versions, args(config, "--json", "registry", "versions", "churn"))).isZero();
        assertThat(json.readTree(versions.toString()).get(0).get("version").asText()).isEqualTo("1.0.0");

        // the library sees the same, from PostgreSQL and the bucket
        ModelRegistry registry = ModelRegistry.builder().store(ModelStore.jdbc(schema.dataSource()))
                .blobStore(s3.store("cli").prefix("prod/").build()).build();
        ModelVersion v = registry.byAlias("churn", "production").orElseThrow();
        try (InputStream in = registry.openArtifact(v)) {
            assertThat(new String(in.readAllBytes())).isEqualTo("model bytes");
        }
        assertThat(registry.aliasHistory("churn", "production").get(0).reason()).isEqualTo("first");
        DataVersioning data = DataVersioning.builder().store(DatasetStore.jdbc(schema.dataSource()))
                .blobStore(s3.store("cli").prefix("prod/").build()).build();
        assertThat(data.versions("train")).hasSize(1);
        assertThat(Files.exists(dir.resolve("root/registry"))).as("nothing under --root").isFalse();
        assertThat(Files.exists(dir.resolve("root/data"))).isFalse();

        try (ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.jdbc(schema.dataSource())).defaultRules(false).build()) {
            monitor.prediction().output(1).modelVersion("1.0.0").log();
            monitor.flush();
        }
        StringWriter metrics = new StringWriter();
        assertThat(run(metrics, args(config, "--json", "monitor", "metrics", "--window", "PT2H"))).isZero();
        JsonNode m = json.readTree(metrics.toString());
        assertThat(m.get("predictions").asLong()).isEqualTo(1);
    }
}
