package io.mlops.s3;

import io.mlops.core.spi.BlobStore;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.spi.ModelStore;
import io.mlops.data.DataVersioning;
import io.mlops.data.spi.DatasetStore;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.Assumptions;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's S3 block runs against s3proxy, and the README shows the code that runs. */
class ReadmeFleetTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeBlockRuns() throws Exception {
        TestDatabases.PostgresSchema schema = TestDatabases.postgres(getClass().getSimpleName()).orElse(null);
        Assumptions.assumeTrue(schema != null, "PostgreSQL not reachable at 127.0.0.1:5432");
        try (schema; S3Server server = new S3Server(dir.resolve("s3"), "mlops")) {
            URI endpoint = server.endpoint();
            DataSource dataSource = schema.dataSource();
            byte[] modelBytes = "a model".getBytes();
            // README s3: begin
            BlobStore blobs = S3BlobStore.builder()
                    .endpoint(endpoint)                               // MinIO, Ceph, s3proxy; omitted = AWS
                    .region("us-east-1").bucket("mlops").prefix("prod/")
                    .credentials("mlops-access", "mlops-secret-key")  // omitted = the SDK's default chain
                    .pathStyle(true)
                    .build();
            ModelRegistry registry = ModelRegistry.builder()
                    .store(ModelStore.jdbc(dataSource))               // metadata: PostgreSQL (a pooled DataSource)
                    .blobStore(blobs)                                 // artifacts: the bucket
                    .build();
            DataVersioning data = DataVersioning.builder().store(DatasetStore.jdbc(dataSource)).blobStore(blobs).build();
            ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.jdbc(dataSource)).instance("pod-7").build();
            ModelVersion v = registry.register("churn").artifact(modelBytes).save();
            // README s3: end
            assertThat(registry.load(v, io.mlops.registry.ModelCodec.bytes())).isEqualTo(modelBytes);
            assertThat(data.names()).isEmpty();
            monitor.close();
            ((AutoCloseable) blobs).close();
        }
        io.mlops.core.testkit.ReadmeBlocks.assertShown(Path.of("src/test/java/io/mlops/s3/ReadmeFleetTest.java"), "s3");
    }
}
