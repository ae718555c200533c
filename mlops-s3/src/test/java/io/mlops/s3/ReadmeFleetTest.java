package io.mlops.s3;

import io.mlops.core.spi.BlobStore;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.spi.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's S3 block runs against s3proxy, and the README shows the code that runs. */
class ReadmeFleetTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeBlockRuns() throws Exception {
        try (S3Server server = new S3Server(dir.resolve("s3"), "mlops")) {
            URI endpoint = server.endpoint();
            Path metadata = dir.resolve("metadata");
            byte[] modelBytes = "a model".getBytes();
            // README s3: begin
            BlobStore blobs = S3BlobStore.builder()
                    .endpoint(endpoint)                               // MinIO, Ceph, s3proxy; omitted = AWS
                    .region("us-east-1").bucket("mlops").prefix("prod/")
                    .credentials("mlops-access", "mlops-secret-key")  // omitted = the SDK's default chain
                    .pathStyle(true)
                    .build();
            ModelRegistry registry = ModelRegistry.builder()
                    .store(ModelStore.fileSystem(metadata))            // metadata: this machine's disk (PostgreSQL: #14)
                    .blobStore(blobs)                                 // artifacts: the bucket
                    .build();
            ModelVersion v = registry.register("churn").artifact(modelBytes).save();
            // README s3: end
            assertThat(registry.load(v, io.mlops.registry.ModelCodec.bytes())).isEqualTo(modelBytes);
            ((AutoCloseable) blobs).close();
        }
        String source = Files.readString(Path.of("src/test/java/io/mlops/s3/ReadmeFleetTest.java"));
        Matcher m = Pattern.compile("// README s3: begin\\n(.*?)\\n\\s*// README s3: end", Pattern.DOTALL).matcher(source);
        assertThat(m.find()).isTrue();
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String line : m.group(1).split("\\n")) {
            if (!line.isBlank()) {
                assertThat(readme).as("README line").contains(line.strip());
            }
        }
    }
}
