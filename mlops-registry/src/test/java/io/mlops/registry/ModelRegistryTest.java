package io.mlops.registry;

import io.mlops.core.AlreadyExistsException;
import io.mlops.core.IntegrityException;
import io.mlops.core.internal.io.Sha256;
import io.mlops.core.ValidationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRegistryTest {

    @TempDir
    Path dir;

    ModelRegistry registry;
    final List<RegistryEvent> events = new ArrayList<>();
    final TickingClock clock = new TickingClock();

    @BeforeEach
    void open() {
        registry = ModelRegistry.builder().fileSystem(dir).actor("alice").clock(clock.clock).listener(events::add).build();
    }

    private ModelVersion register(String name, String version, String content) {
        clock.tick();
        return registry.register(name).version(version).artifact(content.getBytes(StandardCharsets.UTF_8)).save();
    }

    private static String read(ModelRegistry registry, ModelVersion v) throws IOException {
        try (InputStream in = registry.openArtifact(v)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void registersWithMetadataTagsAndArtifact() throws IOException {
        ModelVersion v = registry.register("customer_churn_predictor")
                .version("1.0.0")
                .artifact("model bytes".getBytes(StandardCharsets.UTF_8))
                .metadata("accuracy", 0.95)
                .metadata(Map.of("features", List.of("age", "tenure")))
                .tag("algorithm", "RandomForest")
                .save();

        assertThat(v.name()).isEqualTo("customer_churn_predictor");
        assertThat(v.version()).isEqualTo("1.0.0");
        assertThat(v.sha256()).isEqualTo(Sha256.hex("model bytes".getBytes(StandardCharsets.UTF_8)));
        assertThat(v.sizeBytes()).isEqualTo(11);
        assertThat(v.metadata()).containsEntry("accuracy", 0.95).containsEntry("features", List.of("age", "tenure"));
        assertThat(v.tags()).containsExactly(Map.entry("algorithm", "RandomForest"));
        assertThat(registry.get("customer_churn_predictor", "1.0.0")).isEqualTo(v);
        assertThat(ModelRegistry.fileSystem(dir).get("customer_churn_predictor", "1.0.0")).isEqualTo(v);
        assertThat(read(registry, v)).isEqualTo("model bytes");
        assertThat(events).extracting(RegistryEvent::type).containsExactly(RegistryEvent.Type.REGISTERED);
        assertThat(events.get(0).actor()).isEqualTo("alice");
    }

    @Test
    void artifactsFromPathAndStreamAreStreamedAndStoredOnce() throws IOException {
        Path file = dir.resolve("model.bin");
        Files.write(file, new byte[3_000_000]);
        ModelVersion a = registry.register("m").version("1.0.0").artifact(file).save();
        ModelVersion b = registry.register("m").version("1.0.1").artifact(new ByteArrayInputStream(new byte[3_000_000])).save();
        assertThat(a.sha256()).isEqualTo(b.sha256());
        try (Stream<Path> blobs = Files.walk(dir.resolve("blobs/objects"))) {
            assertThat(blobs.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
    }

    @Test
    void anArtifactArrayIsReadAtSaveNotCopied() throws IOException {
        // a copy would double the heap a large artifact needs; the array is read when save() runs
        byte[] bytes = "first".getBytes(StandardCharsets.UTF_8);
        Registration registration = registry.register("m").version("1.0.0").artifact(bytes);
        bytes[0] = 'F';
        ModelVersion v = registration.save();
        assertThat(read(registry, v)).isEqualTo("First");
        assertThat(v.sha256()).isEqualTo(Sha256.hex("First".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void latestUsesSemanticVersionOrderAndPrefersReleases() {
        for (String v : List.of("1.9.0", "1.10.0", "1.10.0-rc.1", "2.0.0-alpha")) {
            register("m", v, v);
        }
        assertThat(registry.latest("m").orElseThrow().version()).isEqualTo("1.10.0");
        assertThat(registry.latest("m", true).orElseThrow().version()).isEqualTo("2.0.0-alpha");
        assertThat(registry.versions("m")).extracting(ModelVersion::version)
                .containsExactly("1.9.0", "1.10.0-rc.1", "1.10.0", "2.0.0-alpha");

        register("pre", "0.1.0-beta", "x");
        assertThat(registry.latest("pre").orElseThrow().version()).isEqualTo("0.1.0-beta");
        assertThat(registry.latest("pre", false)).isEmpty();
        assertThat(registry.latest("nothing")).isEmpty();
    }

    @Test
    void omittedVersionsAreAllocatedAfterTheHighest() {
        assertThat(registry.register("m").artifact(new byte[] {1}).save().version()).isEqualTo("1.0.0");
        assertThat(registry.register("m").artifact(new byte[] {2}).save().version()).isEqualTo("1.0.1");
        register("m", "1.10.0", "x");
        assertThat(registry.register("m").artifact(new byte[] {3}).save().version()).isEqualTo("1.10.1");
        register("m", "2.0.0-rc.1", "y");
        assertThat(registry.register("m").artifact(new byte[] {4}).save().version()).isEqualTo("2.0.0");
    }

    @Test
    void anExistingVersionIsAnErrorUnlessOverwriting() throws IOException {
        register("m", "1.0.0", "first");
        assertThatThrownBy(() -> register("m", "1.0.0", "second"))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessage("Model 'm' version '1.0.0' already exists (use overwrite(true) to replace it)");

        ModelVersion replaced = registry.register("m").version("1.0.0").artifact("second".getBytes(StandardCharsets.UTF_8))
                .overwrite(true).save();
        assertThat(read(registry, replaced)).isEqualTo("second");
        // the first artifact is no longer referenced and was removed
        assertThat(Files.exists(dir.resolve("blobs/objects").resolve(Sha256.hex("first".getBytes()).substring(0, 2))
                .resolve(Sha256.hex("first".getBytes())))).isFalse();
        assertThat(events).extracting(RegistryEvent::type)
                .containsExactly(RegistryEvent.Type.REGISTERED, RegistryEvent.Type.OVERWRITTEN);
    }

    @Test
    void versionsDifferingOnlyInBuildMetadataAreRejected() {
        register("m", "1.0.0+a", "x");
        assertThatThrownBy(() -> register("m", "1.0.0+b", "y"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("same precedence as existing version '1.0.0+a'");
    }

    @Test
    void invalidNamesAreRejectedBeforeAnythingIsWritten() throws IOException {
        for (String bad : List.of("../x", "a/b", "", "..", "x".repeat(200))) {
            assertThatThrownBy(() -> registry.register(bad)).as(bad).isInstanceOf(ValidationException.class);
        }
        assertThatThrownBy(() -> registry.register("m").version("1.0").artifact(new byte[1]))
                .isInstanceOf(ValidationException.class).hasMessageContaining("Invalid semantic version '1.0'");
        assertThatThrownBy(() -> registry.setAlias("m", "../prod", "1.0.0")).isInstanceOf(ValidationException.class);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()))
                    .noneMatch(p -> p.contains("models/") || p.contains("objects/"));
        }
    }

    @Test
    void badRegistrationsFailClearly() {
        assertThatThrownBy(() -> registry.register("m").version("1.0.0").save())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no artifact given for 'm'");
        assertThatThrownBy(() -> registry.register("m").metadata("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.register("m").metadata("x", new Object()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be written as JSON");
        assertThatThrownBy(() -> registry.register("m").metadata("x", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> registry.get("m", "9.9.9"))
                .isInstanceOf(ModelNotFoundException.class).hasMessage("Model 'm' version '9.9.9' not found");
    }

    @Test
    void aFlippedByteInAStoredArtifactIsCaught() throws IOException {
        ModelVersion v = register("m", "1.0.0", "x".repeat(10_000));
        Path blob = dir.resolve("blobs/objects").resolve(v.sha256().substring(0, 2)).resolve(v.sha256());
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            f.seek(5000);
            f.write('y');
        }
        assertThatThrownBy(() -> read(registry, v)).isInstanceOf(IntegrityException.class).hasMessageContaining(v.sha256());
        assertThatThrownBy(() -> registry.load(v, ModelCodec.bytes())).isInstanceOf(IntegrityException.class);
    }

    @Test
    void aliasMovesRecordTheirReasonInTheHistoryAndTheAuditLogAcrossReopening() {
        register("m", "1.0.0", "a");
        register("m", "1.1.0", "b");
        registry.setAlias("m", "production", "1.0.0");
        String why = "canary passed: error rate 0.0100 vs 0.0110 (upper bound 0.0041 < margin 0.0100), n = 5000 / 45000";
        registry.setAlias("m", "production", "1.1.0", why);
        registry.rollback("m", "production", "on-call: latency regression <script>");

        ModelRegistry reopened = ModelRegistry.builder().fileSystem(dir).build();
        assertThat(reopened.aliasHistory("m", "production")).extracting(AliasChange::reason)
                .containsExactly(null, why, "on-call: latency regression <script>");
        assertThat(reopened.auditLog()).filteredOn(e -> e.alias() != null).extracting(RegistryEvent::reason)
                .containsExactly(null, why, "on-call: latency regression <script>");
        assertThat(events).filteredOn(e -> e.alias() != null).extracting(RegistryEvent::reason)
                .containsExactly(null, why, "on-call: latency regression <script>");

        assertThatThrownBy(() -> registry.setAlias("m", "staging", "1.0.0", " ")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> registry.setAlias("m", "staging", "1.0.0", "x".repeat(AliasChange.MAX_REASON_LENGTH + 1)))
                .isInstanceOf(ValidationException.class);
        assertThat(registry.byAlias("m", "staging")).isEmpty();
    }

    @Test
    void aliasesMoveWithHistoryAndRollBack() {
        register("m", "1.0.0", "a");
        register("m", "1.1.0", "b");
        register("m", "2.0.0", "c");

        clock.tick();
        Instant beforeAny = clock.instant();
        clock.tick();
        registry.setAlias("m", "production", "1.0.0");
        clock.tick();
        Instant whileOne = clock.instant();
        clock.tick();
        registry.setAlias("m", "production", "1.1.0");
        clock.tick();
        registry.setAlias("m", "production", "2.0.0");
        registry.setAlias("m", "production", "2.0.0"); // no-op
        registry.setAlias("m", "staging", "2.0.0");

        assertThat(registry.byAlias("m", "production").orElseThrow().version()).isEqualTo("2.0.0");
        assertThat(registry.aliases("m")).containsExactly(Map.entry("production", "2.0.0"), Map.entry("staging", "2.0.0"));
        assertThat(registry.aliasHistory("m", "production")).extracting(AliasChange::from, AliasChange::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, "1.0.0"),
                        org.assertj.core.groups.Tuple.tuple("1.0.0", "1.1.0"),
                        org.assertj.core.groups.Tuple.tuple("1.1.0", "2.0.0"));
        assertThat(registry.aliasHistory("m", "production")).allMatch(c -> "alice".equals(c.actor()));
        assertThat(registry.aliasAt("m", "production", beforeAny)).isEmpty();
        assertThat(registry.aliasAt("m", "production", whileOne).orElseThrow().version()).isEqualTo("1.0.0");

        clock.tick();
        assertThat(registry.rollback("m", "production").version()).isEqualTo("1.1.0");
        assertThat(registry.byAlias("m", "production").orElseThrow().version()).isEqualTo("1.1.0");
        assertThat(registry.rollback("m", "production").version()).isEqualTo("2.0.0");

        assertThat(registry.removeAlias("m", "production")).isTrue();
        assertThat(registry.removeAlias("m", "production")).isFalse();
        assertThat(registry.byAlias("m", "production")).isEmpty();
        assertThat(registry.rollback("m", "production").version()).isEqualTo("2.0.0");

        assertThatThrownBy(() -> registry.rollback("m", "canary")).isInstanceOf(ValidationException.class)
                .hasMessage("Alias 'canary' of model 'm' has no previous target to roll back to");
        assertThatThrownBy(() -> registry.setAlias("m", "production", "3.0.0")).isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void deleteRefusesWhileAnAliasPointsUnlessForced() {
        ModelVersion v = register("m", "1.0.0", "a");
        register("m", "1.1.0", "b");
        registry.setAlias("m", "production", "1.0.0");

        assertThatThrownBy(() -> registry.delete("m", "1.0.0"))
                .isInstanceOf(ModelInUseException.class)
                .hasMessageContaining("target of alias(es) [production]");
        assertThat(registry.find("m", "1.0.0")).isPresent();

        registry.delete("m", "1.0.0", true);

        assertThat(registry.find("m", "1.0.0")).isEmpty();
        assertThat(registry.byAlias("m", "production")).isEmpty();
        assertThatThrownBy(() -> registry.openArtifact(v)).isInstanceOf(ModelNotFoundException.class);
        registry.delete("m", "1.1.0");
        assertThat(registry.models()).isEmpty();
        assertThatThrownBy(() -> registry.delete("m", "1.1.0")).isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void deleteKeepsAnArtifactThatAnotherVersionUses() throws IOException {
        register("m", "1.0.0", "shared");
        ModelVersion other = register("n", "1.0.0", "shared");
        registry.delete("m", "1.0.0");
        assertThat(read(registry, other)).isEqualTo("shared");
    }

    @Test
    void searchFiltersByTagsAndMetadata() {
        registry.register("m").version("1.0.0").artifact(new byte[] {1}).tag("algo", "rf").metadata("dataset", "v1")
                .metadata("trees", 100).save();
        registry.register("m").version("1.1.0").artifact(new byte[] {2}).tag("algo", "rf").metadata("dataset", "v2")
                .metadata("trees", 200).save();
        registry.register("m").version("1.2.0").artifact(new byte[] {3}).tag("algo", "sgd").metadata("dataset", "v2").save();

        assertThat(registry.search("m", Map.of("algo", "rf"), Map.of())).extracting(ModelVersion::version)
                .containsExactly("1.0.0", "1.1.0");
        assertThat(registry.search("m", Map.of(), Map.of("dataset", "v2"))).extracting(ModelVersion::version)
                .containsExactly("1.1.0", "1.2.0");
        assertThat(registry.search("m", Map.of("algo", "rf"), Map.of("trees", 200.0))).extracting(ModelVersion::version)
                .containsExactly("1.1.0");
        assertThat(registry.search("m", Map.of("algo", "xgb"), Map.of())).isEmpty();
    }

    @Test
    void auditLogRecordsEveryChangeWithActorAndTime() {
        register("m", "1.0.0", "a");
        registry.setAlias("m", "production", "1.0.0");
        registry.delete("m", "1.0.0", true);

        List<RegistryEvent> log = ModelRegistry.fileSystem(dir).auditLog();
        assertThat(log).extracting(RegistryEvent::type).containsExactly(RegistryEvent.Type.REGISTERED,
                RegistryEvent.Type.ALIAS_MOVED, RegistryEvent.Type.ALIAS_REMOVED, RegistryEvent.Type.DELETED);
        assertThat(log).allMatch(e -> "alice".equals(e.actor()) && e.model().equals("m"));
        assertThat(events).containsExactlyElementsOf(log);
    }

    @Test
    void aThrowingListenerNeitherBreaksTheChangeNorOtherListeners() {
        List<RegistryEvent> seen = new ArrayList<>();
        ModelRegistry guarded = ModelRegistry.builder().fileSystem(dir)
                .listener(e -> {
                    throw new IllegalStateException("listener bug");
                })
                .listener(seen::add)
                .build();
        ModelVersion v = guarded.register("m").version("1.0.0").artifact(new byte[] {1}).save();
        assertThat(guarded.find("m", "1.0.0")).contains(v);
        assertThat(seen).hasSize(1);
    }

    @Test
    void aListenerAddedLaterHearsChangesUntilRemoved() throws Exception {
        List<RegistryEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        registry.register("m").version("1.0.0").artifact(new byte[] {1}).save();
        AutoCloseable handle = registry.addListener(seen::add);
        registry.setAlias("m", "production", "1.0.0");
        registry.register("m").version("2.0.0").artifact(new byte[] {2}).save();
        handle.close();
        registry.setAlias("m", "production", "2.0.0");
        assertThat(seen).extracting(RegistryEvent::type).containsExactly(RegistryEvent.Type.ALIAS_MOVED,
                RegistryEvent.Type.REGISTERED);
        assertThat(events).as("the builder's listener still hears everything").hasSize(4);
    }

    @Test
    void eightThreadsAutoNumberingGetUniqueVersions() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        mine.add(registry.register("m").artifact(new byte[] {(byte) thread, (byte) i}).save().version());
                    }
                    return mine;
                }));
            }
            java.util.Set<String> all = new java.util.HashSet<>();
            for (var f : futures) {
                all.addAll(f.get(2, java.util.concurrent.TimeUnit.MINUTES));
            }
            assertThat(all).hasSize(200);
            assertThat(registry.versions("m")).hasSize(200);
            assertThat(registry.latest("m").orElseThrow().version()).isEqualTo("1.0.199");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void modelsAreListedSorted() {
        register("zeta", "1.0.0", "a");
        register("alpha", "1.0.0", "b");
        assertThat(registry.models()).containsExactly("alpha", "zeta");
    }

    @Test
    void inMemoryRegistryBehavesTheSame() {
        ModelRegistry memory = ModelRegistry.builder().store(io.mlops.registry.spi.ModelStore.inMemory())
                .blobStore(io.mlops.core.spi.BlobStore.inMemory()).build();
        memory.register("m").version("1.9.0").artifact(new byte[] {1}).save();
        memory.register("m").version("1.10.0").artifact(new byte[] {2}).save();
        memory.setAlias("m", "production", "1.9.0");
        assertThat(memory.latest("m").orElseThrow().version()).isEqualTo("1.10.0");
        assertThat(memory.byAlias("m", "production").orElseThrow().version()).isEqualTo("1.9.0");
    }

    /** A manual clock that the test ticks one second at a time. */
    static final class TickingClock {
        final io.mlops.core.ManualClock clock = new io.mlops.core.ManualClock(Instant.parse("2026-11-26T12:00:00Z"));

        void tick() {
            clock.advance(Duration.ofSeconds(1));
        }

        Instant instant() {
            return clock.instant();
        }
    }
}
