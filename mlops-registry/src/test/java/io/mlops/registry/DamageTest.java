package io.mlops.registry;

import io.mlops.core.Problem;
import io.mlops.core.StorageException;
import io.mlops.core.internal.io.AppendOnlyLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One damaged file affects only the item it holds; verify() finds it; there is a way to repair it. */
class DamageTest {

    @TempDir
    Path dir;

    ModelRegistry registry;

    @BeforeEach
    void twoModels() {
        registry = ModelRegistry.fileSystem(dir);
        for (String model : List.of("a", "b")) {
            for (String v : List.of("1.0.0", "1.1.0")) {
                registry.register(model).version(v).artifact((model + v).getBytes(StandardCharsets.UTF_8)).save();
            }
        }
    }

    private Path audit() {
        return dir.resolve("metadata/audit.jsonl");
    }

    /**
     * Damages the audit line that holds a version's record (a registration's commit record) in
     * place, keeping its length so that the offsets of the other lines stay valid.
     */
    private void damageRecord(String model, String version, String damage) throws IOException {
        byte[] bytes = Files.readAllBytes(audit());
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String marker = "\"model\":\"" + model + "\",\"version\":\"" + version + "\"";
        int start = text.indexOf(marker);
        assertThat(start).as("the registration event of %s %s", model, version).isPositive();
        start = text.lastIndexOf('\n', start) + 1;
        int end = text.indexOf('\n', start);
        int record = text.indexOf("\"record\"", start);
        switch (damage) {
            case "flipped" -> bytes[(record + end) / 2] = 1;
            case "truncated" -> java.util.Arrays.fill(bytes, (record + end) / 2, end, (byte) ' ');
            case "empty" -> java.util.Arrays.fill(bytes, start, end, (byte) ' ');
            default -> {
                // the record names another version than the index line that points at it
                int v = text.indexOf("\"version\":\"" + version + "\"", record);
                byte[] other = "9.9.9".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(other, 0, bytes, v + "\"version\":\"".length(), Math.min(other.length, version.length()));
            }
        }
        Files.write(audit(), bytes);
    }

    private void otherModelsAreUnaffected(ModelRegistry r) {
        assertThat(r.models()).containsExactly("a", "b");
        assertThat(r.versions("b")).extracting(ModelVersion::version).containsExactly("1.0.0", "1.1.0");
        assertThat(r.latest("b")).map(ModelVersion::version).contains("1.1.0");
        r.delete("b", "1.0.0");
        assertThat(r.versions("b")).extracting(ModelVersion::version).containsExactly("1.1.0");
        r.register("b").artifact(new byte[] {7}).save();
    }

    @ParameterizedTest
    @ValueSource(strings = {"flipped", "truncated", "empty", "other-version"})
    void aDamagedVersionRecordFailsOnlyThatVersion(String damage) throws IOException {
        Path file = audit();
        damageRecord("a", "1.0.0", damage);
        ModelRegistry fresh = ModelRegistry.fileSystem(dir);

        otherModelsAreUnaffected(fresh);
        assertThat(fresh.versions("a")).extracting(ModelVersion::version).containsExactly("1.1.0");
        assertThat(fresh.latest("a")).map(ModelVersion::version).contains("1.1.0");
        assertThatThrownBy(() -> fresh.get("a", "1.0.0")).isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString());
        List<Problem> problems = fresh.verify().stream().filter(p -> !p.subject().equals("audit log")).toList();
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).subject()).isEqualTo("model 'a' version '1.0.0'");
        assertThat(problems.get(0).location()).isEqualTo(file.toString());
        assertThat(problems.get(0).description()).contains("overwrite(true)");

        // repair by registering the version again
        assertThatThrownBy(() -> fresh.delete("a", "1.0.0")).isInstanceOf(StorageException.class)
                .hasMessageContaining("delete(name, version, true)");
        fresh.register("a").version("1.0.0").artifact(new byte[] {1}).overwrite(true).save();
        assertThat(fresh.get("a", "1.0.0").sizeBytes()).isEqualTo(1);
        // what remains is the damaged line of history, which nothing reads any more
        assertThat(fresh.verify()).allSatisfy(p -> assertThat(p.subject()).isEqualTo("audit log"));
    }

    @Test
    void aDamagedVersionCanBeDeletedWithForce() throws IOException {
        registry.setAlias("a", "production", "1.0.0");
        damageRecord("a", "1.0.0", "truncated");
        ModelRegistry fresh = ModelRegistry.fileSystem(dir);
        fresh.delete("a", "1.0.0", true);
        assertThat(fresh.versions("a")).extracting(ModelVersion::version).containsExactly("1.1.0");
        assertThat(fresh.aliases("a")).isEmpty();
        assertThat(fresh.verify()).singleElement().satisfies(p -> assertThat(p.location()).isEqualTo(audit().toString()));
        assertThat(fresh.auditLog()).last().extracting(RegistryEvent::type).isEqualTo(RegistryEvent.Type.DELETED);
    }

    @Test
    void aGarbageIndexLineIsSkippedAndReported() throws IOException {
        Path index = dir.resolve("metadata/models/a/index.log");
        AppendOnlyLog.append(index, "\u0000\u0001 not a version");
        AppendOnlyLog.append(index, "+not.a.version");
        ModelRegistry fresh = ModelRegistry.fileSystem(dir);

        otherModelsAreUnaffected(fresh);
        assertThat(fresh.versions("a")).extracting(ModelVersion::version).containsExactly("1.0.0", "1.1.0");
        fresh.register("a").artifact(new byte[] {9}).save();
        assertThat(fresh.latest("a")).map(ModelVersion::version).contains("1.1.1");
        List<Problem> problems = fresh.verify();
        assertThat(problems).hasSize(2).allMatch(p -> p.location().equals(index.toString()));
    }

    @Test
    void aDamagedArtifactIsFoundByVerifyAndRepairedByRegisteringTheSameBytes() throws IOException {
        ModelVersion v = registry.get("a", "1.0.0");
        Path blob = dir.resolve("blobs/objects").resolve(v.sha256().substring(0, 2)).resolve(v.sha256());
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            f.seek(1);
            f.write('X');
        }
        assertThatThrownBy(() -> registry.load(v, ModelCodec.bytes())).isInstanceOf(io.mlops.core.IntegrityException.class);
        assertThat(registry.verify()).singleElement().satisfies(p -> {
            assertThat(p.subject()).isEqualTo("model 'a' version '1.0.0'");
            assertThat(p.description()).contains("damaged").contains("register the same bytes again");
        });

        registry.register("a").version("2.0.0").artifact("a1.0.0".getBytes(StandardCharsets.UTF_8)).save();

        assertThat(registry.load(v, ModelCodec.bytes())).isEqualTo("a1.0.0".getBytes(StandardCharsets.UTF_8));
        assertThat(registry.verify()).isEmpty();
    }

    @Test
    void whatCannotBeReadBackIsRefusedAtSave() {
        String huge = "x".repeat(21_000_000);
        assertThatThrownBy(() -> registry.register("a").metadata("notes", huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metadata 'notes' is 21000002 characters as JSON, more than the limit of 1000000");
        assertThatThrownBy(() -> registry.register("a").metadata("n", new BigDecimal("7".repeat(1_200))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata 'n' cannot be read back");
        assertThatThrownBy(() -> registry.register("a").artifact(new byte[] {1}).tag("notes", huge).save())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the metadata and tags of 'a'");
        Registration many = registry.register("a").artifact(new byte[] {1});
        for (int i = 0; i < 3; i++) {
            many.metadata("k" + i, "y".repeat(400_000));
        }
        assertThatThrownBy(many::save).isInstanceOf(IllegalArgumentException.class);

        // nothing was stored, and everything still reads
        ModelRegistry fresh = ModelRegistry.fileSystem(dir);
        assertThat(fresh.versions("a")).hasSize(2);
        otherModelsAreUnaffected(fresh);
        assertThat(fresh.search("a", java.util.Map.of(), java.util.Map.of())).hasSize(2);
        // the largest value that is accepted reads back
        fresh.register("a").version("3.0.0").artifact(new byte[] {1}).metadata("notes", "z".repeat(999_000)).save();
        assertThat(ModelRegistry.fileSystem(dir).get("a", "3.0.0").metadata().get("notes")).asString().hasSize(999_000);
    }

    @Test
    void tempFilesOfKilledWritersAreRemovedWhenTheRegistryOpens() throws IOException {
        Path temp = dir.resolve("metadata/models/a/aliases/.production.json.k3j2.tmp");
        Files.createDirectories(temp.getParent());
        Files.write(temp, new byte[] {'{'});
        ModelRegistry.fileSystem(dir);
        assertThat(temp).doesNotExist();
        assertThat(ModelRegistry.fileSystem(dir).versions("a")).hasSize(2);
    }

    static byte[] readAll(ModelRegistry r, ModelVersion v) throws IOException {
        try (InputStream in = r.openArtifact(v)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cut", "garbage", "empty", "not-an-array", "bad-time"})
    void aDamagedAliasHistoryFailsOnlyThatAliasAndItsNextMoveRepairsItFromTheAuditLog(String damage) throws IOException {
        registry.setAlias("a", "production", "1.0.0");
        registry.setAlias("a", "production", "1.1.0", "better");
        registry.setAlias("a", "staging", "1.0.0");
        registry.setAlias("b", "production", "1.1.0");
        ModelRegistry.fileSystem(dir); // an opening checkpoints the moves: it will not look at them again
        Path file = dir.resolve("metadata/models/a/aliases/production.json");
        String text = Files.readString(file);
        Files.writeString(file, switch (damage) {
            case "cut" -> text.substring(0, text.length() / 2);
            case "garbage" -> "\u0000\u0001 not json";
            case "empty" -> "";
            case "not-an-array" -> "{\"to\": \"1.0.0\"}";
            default -> text.replaceFirst("\"at\" : \"[^\"]+\"", "\"at\" : \"yesterday\"");
        });

        // the registry opens, and everything but that alias works
        ModelRegistry reopened = ModelRegistry.fileSystem(dir);
        assertThat(reopened.byAlias("b", "production")).map(ModelVersion::version).hasValue("1.1.0");
        assertThat(reopened.byAlias("a", "staging")).map(ModelVersion::version).hasValue("1.0.0");
        assertThat(reopened.aliases("a")).containsOnlyKeys("staging");
        assertThat(reopened.versions("a")).hasSize(2);
        reopened.register("a").artifact("more".getBytes()).save();
        assertThatThrownBy(() -> reopened.byAlias("a", "production")).isInstanceOf(StorageException.class)
                .hasRootCauseInstanceOf(Exception.class).hasMessageContaining("production.json");
        assertThatThrownBy(() -> reopened.aliasHistory("a", "production")).isInstanceOf(StorageException.class)
                .cause().isInstanceOf(io.mlops.core.spi.CorruptFileException.class);
        // a version the damaged alias points at is still protected from deletion
        assertThatThrownBy(() -> reopened.delete("a", "1.1.0")).hasMessageContaining("production");

        // verify() reports it with the repair and the target the audit log knows
        List<Problem> problems = reopened.verify();
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.subject()).isEqualTo("a alias production");
            assertThat(p.location()).endsWith("production.json");
            assertThat(p.description()).contains("setAlias").contains("audit log").contains("1.1.0");
        });

        // moving the alias rewrites its history from the audit log, nothing lost
        reopened.setAlias("a", "production", "1.0.0", "repair");
        assertThat(reopened.aliasHistory("a", "production")).extracting(AliasChange::to).containsExactly("1.0.0", "1.1.0", "1.0.0");
        assertThat(reopened.aliasHistory("a", "production").get(1).reason()).isEqualTo("better");
        assertThat(reopened.verify()).isEmpty();
    }

    @Test
    void aDamagedHistoryOfAMoveSinceTheLastCheckpointIsRewrittenWhenTheRegistryOpens() throws IOException {
        registry.setAlias("a", "production", "1.0.0");
        registry.setAlias("a", "production", "1.1.0");
        Path file = dir.resolve("metadata/models/a/aliases/production.json");
        Files.writeString(file, "[{\"cut");
        ModelRegistry reopened = ModelRegistry.fileSystem(dir);
        assertThat(reopened.aliasHistory("a", "production")).extracting(AliasChange::to).containsExactly("1.0.0", "1.1.0");
        assertThat(reopened.verify()).isEmpty();
    }
}
