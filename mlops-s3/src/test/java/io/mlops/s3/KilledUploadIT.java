package io.mlops.s3;

import io.mlops.core.spi.BlobStore;
import io.mlops.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer killed (SIGKILL) in the middle of a multipart upload leaves no object, only an
 * incomplete upload; the blobs stored before are intact and the store keeps working.
 */
class KilledUploadIT {

    @TempDir
    Path dir;

    @Test
    void aKilledUploadLeavesNoObject() throws Exception {
        try (S3Server server = new S3Server(dir.resolve("s3"), "killed");
             S3Client raw = server.rawClient()) {
            BlobStore store = server.store("killed").build();
            String kept = store.put(new ByteArrayInputStream("stored before".getBytes())).sha256();
            Path spool = java.nio.file.Files.createDirectories(dir.resolve("spool"));
            try (ChildJvm child = ChildJvm.start(Uploader.class, server.endpoint().toString(), spool.toString())) {
                child.awaitLine("spooling", Duration.ofSeconds(60));
                // kill once the multipart upload has begun
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (raw.listMultipartUploads(b -> b.bucket("killed")).uploads().isEmpty()) {
                    assertThat(System.nanoTime()).as("an upload began").isLessThan(deadline);
                    Thread.sleep(20);
                }
                Thread.sleep(300); // a few parts in
                child.kill();
            }
            assertThat(raw.listMultipartUploads(b -> b.bucket("killed")).uploads()).as("the incomplete upload").hasSize(1);
            List<String> keys = raw.listObjectsV2Paginator(b -> b.bucket("killed").prefix("objects/")).contents().stream()
                    .map(o -> o.key()).filter(k -> !k.endsWith("/")).toList();
            assertThat(keys).containsExactly("objects/" + kept.substring(0, 2) + "/" + kept);
            try (InputStream in = store.open(kept)) {
                assertThat(in.readAllBytes()).isEqualTo("stored before".getBytes());
            }
            String after = store.put(new ByteArrayInputStream("stored after".getBytes())).sha256();
            assertThat(store.exists(after)).isTrue();
            ((AutoCloseable) store).close();
            // the dead writer's spool file is removed when a store using that folder is built
            try (var files = java.nio.file.Files.list(spool)) {
                assertThat(files).hasSize(1);
            }
            ((AutoCloseable) server.store("killed").spoolDirectory(spool).build()).close();
            try (var files = java.nio.file.Files.list(spool)) {
                assertThat(files).isEmpty();
            }
        }
    }

    /** Child: uploads 400 MB of generated content in 5 MiB parts, long enough to be killed midway. */
    public static final class Uploader {
        public static void main(String[] args) throws IOException {
            BlobStore store = S3BlobStore.builder().endpoint(URI.create(args[0])).bucket("killed")
                    .credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY).pathStyle(true).spoolDirectory(Path.of(args[1]))
                    .partSize(5L << 20).multipartThreshold(5L << 20).build();
            System.out.println("spooling");
            System.out.flush();
            store.write(out -> {
                byte[] chunk = new byte[1 << 20];
                java.util.SplittableRandom random = new java.util.SplittableRandom(3);
                for (int i = 0; i < 400; i++) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
            });
            System.out.println("done");
        }
    }
}
