package io.mlops.s3;

import io.mlops.core.StorageException;
import io.mlops.core.spi.BlobRef;
import io.mlops.core.spi.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Building a store: clear errors naming the endpoint for what cannot work, and the settings checked. */
class S3BlobStoreSetupTest {

    @TempDir
    Path dir;

    @Test
    void aMissingBucketWrongCredentialsOrNoServerFailAtBuildNamingTheEndpoint() throws Exception {
        try (S3Server server = new S3Server(dir.resolve("s3"), "present")) {
            String endpoint = server.endpoint().toString();
            assertThatThrownBy(() -> server.store("absent").build()).isInstanceOf(StorageException.class)
                    .hasMessage("Bucket 'absent' does not exist at " + endpoint);
            assertThatThrownBy(() -> server.store("present").credentials(S3Server.ACCESS_KEY, "wrong-secret").build())
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("Access to bucket 'present' at " + endpoint + " was refused (HTTP 403)");
        }
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        URI nobody = URI.create("http://127.0.0.1:" + free);
        assertThatThrownBy(() -> S3BlobStore.builder().endpoint(nobody).bucket("present").credentials("a", "b").pathStyle(true)
                .build()).isInstanceOf(StorageException.class).hasMessageStartingWith("Cannot reach " + nobody + " (bucket 'present')");
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> S3BlobStore.builder().bucket("Bad_Bucket")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3BlobStore.builder().endpoint(URI.create("ftp://host"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3BlobStore.builder().prefix("/abs")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3BlobStore.builder().partSize(1 << 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3BlobStore.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("bucket(...) is required");
    }

    @Test
    void twoStoresWithPrefixesShareABucketWithoutSeeingEachOther() throws Exception {
        try (S3Server server = new S3Server(dir.resolve("s3"), "shared")) {
            BlobStore a = server.store("shared").prefix("team-a").build();
            BlobStore b = server.store("shared").prefix("team-b/").build();
            BlobRef ref = a.put(new ByteArrayInputStream("model".getBytes()));
            assertThat(a.exists(ref.sha256())).isTrue();
            assertThat(b.exists(ref.sha256())).isFalse();
            assertThat(a.size(ref.sha256())).hasValue(5);
            assertThat(a.toString()).isEqualTo("S3BlobStore[s3://shared/team-a/ at " + server.endpoint() + "]");
            try (InputStream in = a.open(ref.sha256())) {
                assertThat(in.readAllBytes()).isEqualTo("model".getBytes());
            }
            // large content goes through the spool folder, which is left empty
            Path spool = Files.createDirectories(dir.resolve("spool"));
            BlobStore spooling = server.store("shared").spoolDirectory(spool).build();
            byte[] big = new byte[3 << 20];
            new java.util.SplittableRandom(2).nextBytes(big);
            BlobRef bigRef = spooling.put(new ByteArrayInputStream(big));
            assertThat(spooling.size(bigRef.sha256())).hasValue(big.length);
            try (var files = Files.list(spool)) {
                assertThat(files).isEmpty();
            }
            for (BlobStore s : new BlobStore[] {a, b, spooling}) {
                ((AutoCloseable) s).close();
            }
        }
    }
}
