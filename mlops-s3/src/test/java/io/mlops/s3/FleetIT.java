package io.mlops.s3;

import com.zaxxer.hikari.HikariDataSource;
import io.mlops.core.Dataset;
import io.mlops.core.SemanticVersion;
import io.mlops.core.internal.io.Sha256;
import io.mlops.core.spi.BlobStore;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;
import io.mlops.data.spi.DatasetStore;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.Registration;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.spi.ModelStore;
import io.mlops.test.ChildJvm;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fleet mode end to end: child JVMs share one registry and one data store in PostgreSQL (a schema
 * of this test's, on the local server; skipped, saying so, when it is not reachable) with their
 * bytes in S3 (s3proxy in this JVM, over HTTP, through the real AWS SDK).
 */
class FleetIT {

    @TempDir
    Path dir;
    private TestDatabases.PostgresSchema schema;
    private S3Server s3;

    @BeforeEach
    void start() throws Exception {
        schema = TestDatabases.postgres(getClass().getSimpleName()).orElse(null);
        Assumptions.assumeTrue(schema != null, "PostgreSQL not reachable at 127.0.0.1:5432");
        s3 = new S3Server(dir.resolve("s3"), "fleet");
    }

    @AfterEach
    void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void fourProcessesRegisterAndCommitIntoOneFleetStore() throws Exception {
        BlobStore blobs = blobs(s3.endpoint().toString(), 256L << 20);
        DataVersioning data = DataVersioning.builder().store(DatasetStore.jdbc(schema.dataSource())).blobStore(blobs).build();
        DatasetVersion base = data.commit("base", Dataset.builder().numeric("x", new double[] {1, 2, 3}).build()).save();
        List<ChildJvm> children = ChildJvm.runAll(4, FleetChild.class, Duration.ofMinutes(4), c -> new String[] {
            schema.jdbcUrl(), s3.endpoint().toString(), Integer.toString(c), "50", "0", base.id()});
        Set<String> all = new HashSet<>();
        List<SemanticVersion> auto = new ArrayList<>();
        Set<String> commits = new HashSet<>();
        for (ChildJvm child : children) {
            for (String line : child.output()) {
                String[] parts = line.split(" ");
                if (parts[0].equals("registered")) {
                    all.add(parts[1]);
                    if (parts[2].equals("auto")) {
                        auto.add(SemanticVersion.parse(parts[1]));
                    }
                } else if (parts[0].equals("committed")) {
                    commits.add(parts[1]);
                }
            }
        }
        assertThat(all).hasSize(200);
        assertThat(auto).hasSize(100).doesNotHaveDuplicates();
        // auto numbers are contiguous: consecutive patch versions, none skipped
        List<SemanticVersion> sorted = auto.stream().sorted().toList();
        for (int k = 1; k < sorted.size(); k++) {
            assertThat(sorted.get(k)).as("after %s", sorted.get(k - 1)).isEqualTo(sorted.get(k - 1).nextPatch());
        }

        ModelRegistry registry = ModelRegistry.builder().store(ModelStore.jdbc(schema.dataSource())).blobStore(blobs).build();
        assertThat(registry.versions("shared")).extracting(ModelVersion::version).containsExactlyInAnyOrderElementsOf(all);
        for (ModelVersion v : registry.versions("shared")) {
            try (InputStream in = registry.openArtifact(v)) {
                assertThat(Sha256.hex(in.readAllBytes())).isEqualTo(Sha256.hex(FleetChild.expected(v)));
            }
        }
        assertThat(registry.verify()).isEmpty();
        assertThat(registry.auditLog()).hasSize(200);

        assertThat(commits).hasSize(40);
        assertThat(data.descendants(base.id())).extracting(DatasetVersion::id).containsExactlyInAnyOrderElementsOf(commits);
        assertThat(data.versions("derived")).hasSize(40);
        assertThat(data.verify()).isEmpty();
        ((AutoCloseable) blobs).close();
    }

    @Test
    void processesKilledMidRegistrationOrMidUploadLeaveNothingHalfVisible() throws Exception {
        Random random = new Random(20261130);
        List<String> acknowledged = new ArrayList<>();
        boolean killedMidway = false;
        for (int round = 0; round < 3; round++) {
            // 6 MB artifacts with a 5 MiB multipart threshold: many kills land inside an upload
            try (ChildJvm child = ChildJvm.start(FleetChild.class, schema.jdbcUrl(), s3.endpoint().toString(),
                    Integer.toString(10 + round), "40", Integer.toString(6_000_000), "-", "move-alias")) {
                child.awaitLine("started", Duration.ofSeconds(60));
                int after = 1 + random.nextInt(8);
                for (int k = 0; k < after; k++) {
                    acknowledged.add(child.awaitLine("registered", Duration.ofSeconds(60)).split(" ")[1]);
                }
                Thread.sleep(random.nextInt(400));
                child.kill();
                for (String line : child.output()) {
                    if (line.startsWith("registered ") && !acknowledged.contains(line.split(" ")[1])) {
                        acknowledged.add(line.split(" ")[1]);
                    }
                }
            }
            BlobStore blobs = blobs(s3.endpoint().toString(), 5L << 20);
            ModelRegistry registry = ModelRegistry.builder().store(ModelStore.jdbc(schema.dataSource())).blobStore(blobs).build();
            List<ModelVersion> versions = registry.versions("shared");
            killedMidway |= versions.size() < 40 * (round + 1);
            assertThat(versions).extracting(ModelVersion::version).containsAll(acknowledged);
            for (ModelVersion v : versions) {
                try (InputStream in = registry.openArtifact(v)) {
                    assertThat(Sha256.hex(in.readAllBytes())).isEqualTo(Sha256.hex(FleetChild.expected(v)));
                }
            }
            // the audit log lists exactly what took effect
            assertThat(registry.auditLog().stream().filter(e -> e.type() == RegistryEvent.Type.REGISTERED)
                    .map(RegistryEvent::version)).containsExactlyInAnyOrderElementsOf(versions.stream().map(ModelVersion::version).toList());
            List<AliasChange> moves = registry.aliasHistory("shared", "production");
            assertThat(registry.auditLog().stream().filter(e -> e.type() == RegistryEvent.Type.ALIAS_MOVED)
                    .map(RegistryEvent::version)).containsExactlyElementsOf(moves.stream().map(AliasChange::to).toList());
            assertThat(registry.verify()).isEmpty();
            ((AutoCloseable) blobs).close();
        }
        assertThat(killedMidway).as("a child was killed before it finished").isTrue();
        BlobStore blobs = blobs(s3.endpoint().toString(), 5L << 20);
        ModelRegistry registry = ModelRegistry.builder().store(ModelStore.jdbc(schema.dataSource())).blobStore(blobs).build();
        int before = registry.versions("shared").size();
        registry.register("shared").artifact(new byte[] {42}).save();
        assertThat(registry.versions("shared")).hasSize(before + 1);
        ((AutoCloseable) blobs).close();
    }

    static BlobStore blobs(String endpoint, long multipartThreshold) {
        return S3BlobStore.builder().endpoint(URI.create(endpoint)).bucket("fleet").prefix("prod/")
                .credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY).pathStyle(true)
                .partSize(5L << 20).multipartThreshold(multipartThreshold).build();
    }

    /**
     * Child JVM: registers {@code count} versions of "shared" (even ones with an explicit version
     * unique to the child, odd ones auto-numbered), optionally moving the alias "production" to each,
     * and commits 10 datasets derived from a base version. Args: JDBC URL, S3 endpoint, child,
     * count, padding bytes, base dataset id or "-", and "move-alias" to move the alias.
     */
    public static final class FleetChild {
        public static void main(String[] args) throws Exception {
            try (HikariDataSource pool = TestDatabases.pool(args[0], 2)) {
                BlobStore blobs = blobs(args[1], 5L << 20);
                int child = Integer.parseInt(args[2]);
                int count = Integer.parseInt(args[3]);
                int padding = Integer.parseInt(args[4]);
                ModelRegistry registry = ModelRegistry.builder().store(ModelStore.jdbc(pool)).blobStore(blobs)
                        .actor("child-" + child).build();
                System.out.println("started");
                System.out.flush();
                for (int k = 0; k < count; k++) {
                    byte[] content = content(child, k, padding);
                    Registration r = registry.register("shared").artifact(content).metadata("child", child).metadata("k", k)
                            .metadata("padding", padding);
                    boolean explicit = k % 2 == 0;
                    if (explicit) {
                        r.version("0.0.1-c" + child + "." + k);
                    }
                    ModelVersion v = r.save();
                    System.out.println("registered " + v.version() + (explicit ? " explicit" : " auto"));
                    System.out.flush();
                    if (args.length > 6) {
                        registry.setAlias("shared", "production", v.version());
                    }
                }
                if (!args[5].equals("-")) {
                    DataVersioning data = DataVersioning.builder().store(DatasetStore.jdbc(pool)).blobStore(blobs).build();
                    for (int k = 0; k < 10; k++) {
                        Dataset d = Dataset.builder().numeric("x", new double[] {child, k}).build();
                        System.out.println("committed " + data.commit("derived", d).parents(args[5]).save().id());
                    }
                }
                ((AutoCloseable) blobs).close();
            }
        }

        /** What a version's artifact must hold, from what its metadata says about how it was made. */
        static byte[] expected(ModelVersion v) {
            return content(((Number) v.metadata().get("child")).intValue(), ((Number) v.metadata().get("k")).intValue(),
                    ((Number) v.metadata().get("padding")).intValue());
        }

        static byte[] content(int child, int k, int padding) {
            byte[] head = ("model of child " + child + " #" + k).getBytes(StandardCharsets.UTF_8);
            byte[] out = java.util.Arrays.copyOf(head, head.length + padding);
            for (int i = head.length; i < out.length; i += 4096) {
                out[i] = (byte) (i * 31 + k);
            }
            return out;
        }
    }
}
