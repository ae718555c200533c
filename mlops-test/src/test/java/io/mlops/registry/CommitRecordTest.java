package io.mlops.registry;

import io.mlops.core.internal.io.AppendOnlyLog;
import io.mlops.registry.spi.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registration's audit line is its commit record: the index lines written after it without an
 * fsync are recovered from it when a power loss takes them (simulated here by cutting the index
 * files back to what the last checkpoint made durable).
 */
class CommitRecordTest {

    @TempDir
    Path dir;

    private Path index(String model) {
        return dir.resolve("metadata/models").resolve(model).resolve("index.log");
    }

    private long checkpoint() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("metadata/checkpoint")).trim());
    }

    private static List<String> versions(ModelRegistry r, String model) {
        return r.versions(model).stream().map(ModelVersion::version).toList();
    }

    @Test
    void indexLinesLostAfterTheCheckpointAreRecoveredFromTheAuditLog() throws IOException {
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        registry.register("a").artifact(new byte[] {1}).metadata("n", 1).save();
        ModelRegistry.fileSystem(dir); // opening moves the checkpoint past that registration
        String durable = Files.readString(index("a"));
        registry.register("a").artifact(new byte[] {2}).metadata("n", 2).save();
        registry.register("b").artifact(new byte[] {3}).save();
        registry.register("a").artifact(new byte[] {4}).save();
        registry.delete("a", "1.0.1");
        registry.register("a").version("1.0.1").artifact(new byte[] {5}).metadata("n", 5).save();
        List<String> before = versions(registry, "a");

        // a power loss: what was appended without an fsync since the checkpoint is gone, a line is torn
        Files.writeString(index("a"), durable + "+1.0");
        Files.delete(index("b"));

        ModelRegistry reopened = ModelRegistry.fileSystem(dir);
        assertThat(versions(reopened, "a")).isEqualTo(before).containsExactly("1.0.0", "1.0.1", "1.0.2");
        assertThat(reopened.get("a", "1.0.1").metadata()).containsEntry("n", 5);
        assertThat(reopened.get("a", "1.0.1").sha256()).isEqualTo(io.mlops.core.internal.io.Sha256.hex(new byte[] {5}));
        assertThat(versions(reopened, "b")).containsExactly("1.0.0");
        assertThat(reopened.verify()).isEmpty();
        assertThat(checkpoint()).isEqualTo(Files.size(dir.resolve("metadata/audit.jsonl")));
        // recovering again changes nothing
        String recovered = Files.readString(index("a"));
        ModelRegistry.fileSystem(dir);
        assertThat(Files.readString(index("a"))).isEqualTo(recovered);
    }

    @Test
    void writersMoveTheCheckpointEvery128Commits() throws IOException {
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        long opened = checkpoint();
        for (int i = 0; i < 130; i++) {
            registry.register("a").artifact(new byte[] {(byte) i}).save();
        }
        assertThat(checkpoint()).isGreaterThan(opened);
        assertThat(AppendOnlyLog.read(index("a")).lines()).hasSize(130).allMatch(l -> l.matches("\\+1\\.0\\.\\d+ @\\d+"));
    }

    @Test
    void aStoreWrittenBeforeCommitRecordsIsReadAndExtended() throws IOException {
        // the old layout: a record file per version, index lines without an offset, no checkpoint
        ModelStore old = ModelStore.fileSystem(dir.resolve("metadata"));
        io.mlops.core.spi.BlobStore blobs = io.mlops.core.spi.BlobStore.fileSystem(dir.resolve("blobs"));
        var ref = blobs.put(new java.io.ByteArrayInputStream("old".getBytes(StandardCharsets.UTF_8)));
        old.put(new ModelVersion("a", "1.0.0", ref.sha256(), ref.size(), java.time.Instant.parse("2026-01-01T00:00:00Z"),
                java.util.Map.of("n", 0), java.util.Map.of()));
        Files.delete(dir.resolve("metadata/checkpoint"));
        assertThat(Files.readString(index("a"))).isEqualTo("+1.0.0\n");

        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        assertThat(registry.get("a", "1.0.0").metadata()).containsEntry("n", 0);
        registry.register("a").artifact(new byte[] {1}).save();
        registry.register("a").version("1.0.0").artifact(new byte[] {2}).overwrite(true).save();
        ModelRegistry reopened = ModelRegistry.fileSystem(dir);
        assertThat(versions(reopened, "a")).containsExactly("1.0.0", "1.0.1");
        assertThat(reopened.get("a", "1.0.0").sizeBytes()).isEqualTo(1);
        assertThat(dir.resolve("metadata/models/a/versions/1.0.0.json")).as("superseded record file").doesNotExist();
        assertThat(reopened.verify()).isEmpty();
    }

    @Test
    void aDamagedCheckpointReplaysOnlyCommitRecords() throws IOException {
        // an old store's history: registered, deleted, registered again (no offsets, no records in the events)
        ModelStore old = ModelStore.fileSystem(dir.resolve("metadata"));
        io.mlops.core.spi.BlobStore blobs = io.mlops.core.spi.BlobStore.fileSystem(dir.resolve("blobs"));
        var ref = blobs.put(new java.io.ByteArrayInputStream("old".getBytes(StandardCharsets.UTF_8)));
        ModelVersion v = new ModelVersion("a", "1.0.0", ref.sha256(), ref.size(), java.time.Instant.parse("2026-01-01T00:00:00Z"),
                java.util.Map.of(), java.util.Map.of());
        java.time.Instant at = java.time.Instant.parse("2026-01-01T00:00:00Z");
        old.put(v);
        old.appendEvent(new RegistryEvent(RegistryEvent.Type.REGISTERED, "a", "1.0.0", null, null, at, null));
        old.delete("a", io.mlops.core.SemanticVersion.parse("1.0.0"));
        old.appendEvent(new RegistryEvent(RegistryEvent.Type.DELETED, "a", "1.0.0", null, null, at, null));
        old.put(v);
        old.appendEvent(new RegistryEvent(RegistryEvent.Type.REGISTERED, "a", "1.0.0", null, null, at, null));
        // the events above were written by this code: make them an old store's (no format, no record)
        Path audit = dir.resolve("metadata/audit.jsonl");
        StringBuilder oldLines = new StringBuilder();
        for (String line : Files.readAllLines(audit)) {
            oldLines.append(line.replace("\"format\":2,", "").replaceAll(",\"record\":\\{.*\\}\\}$", "}")).append('\n');
        }
        Files.writeString(audit, oldLines.toString());
        Files.delete(dir.resolve("metadata/checkpoint"));
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        registry.register("b").artifact(new byte[] {1}).save();
        Files.writeString(dir.resolve("metadata/checkpoint"), "garbage");

        ModelRegistry reopened = ModelRegistry.fileSystem(dir);
        assertThat(versions(reopened, "a")).containsExactly("1.0.0");
        assertThat(versions(reopened, "b")).containsExactly("1.0.0");
        assertThat(reopened.get("a", "1.0.0").sha256()).isEqualTo(ref.sha256());
        assertThat(reopened.verify()).isEmpty();
    }
}
