package io.mlops.registry;

import io.mlops.core.internal.io.Sha256;
import io.mlops.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Several processes on one registry root, and processes killed in the middle of registering. */
class CrossProcessRegistryIT {

    @TempDir
    Path dir;

    @Test
    void fourProcessesRegistering50EachLoseNothing() throws Exception {
        List<ChildJvm> children = ChildJvm.runAll(4, RegisterChild.class, Duration.ofMinutes(3),
                c -> new String[] {dir.toString(), Integer.toString(c), "50", "0"});
        List<String> auto = new ArrayList<>();
        Set<String> all = new HashSet<>();
        for (ChildJvm child : children) {
            for (String line : child.output()) {
                if (line.startsWith("registered ")) {
                    String[] parts = line.split(" ");
                    all.add(parts[1]);
                    if (parts[2].equals("auto")) {
                        auto.add(parts[1]);
                    }
                }
            }
        }
        assertThat(auto).hasSize(100).doesNotHaveDuplicates();
        assertThat(all).hasSize(200);

        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        List<ModelVersion> versions = registry.versions("shared");
        assertThat(versions).hasSize(200);
        assertThat(versions).extracting(ModelVersion::version).containsExactlyInAnyOrderElementsOf(all);
        for (ModelVersion v : versions) {
            assertThat(Sha256.hex(readAll(registry, v))).isEqualTo(Sha256.hex(RegisterChild.expected(v)));
        }
        // every commit record parses and carries its version's record
        for (String line : Files.readAllLines(dir.resolve("metadata/audit.jsonl"))) {
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("record").get("sha256").asText())
                    .hasSize(64);
        }
        assertThat(registry.auditLog()).hasSize(200);
    }

    @Test
    void processesKilledAtRandomPointsNeverLeaveAHalfRegisteredVersion() throws Exception {
        Random random = new Random(20261126);
        boolean killedMidway = false;
        for (int round = 0; round < 4; round++) {
            try (ChildJvm child = ChildJvm.start(RegisterChild.class, dir.toString(), Integer.toString(10 + round), "100",
                    "1000000", "move-alias")) {
                child.awaitLine("started", Duration.ofSeconds(60));
                // kill after a random number of completed registrations, so the kill lands mid-run
                int after = 1 + random.nextInt(60);
                for (int k = 0; k < after; k++) {
                    child.awaitLine("registered", Duration.ofSeconds(60));
                }
                Thread.sleep(random.nextInt(5));
                child.kill();
            }
            ModelRegistry registry = ModelRegistry.fileSystem(dir);
            int child = 10 + round;
            killedMidway |= registry.versions("shared").stream().filter(v -> v.metadata().get("child").equals(child)).count() < 100;
            for (ModelVersion v : registry.versions("shared")) {
                byte[] bytes = readAll(registry, v);
                assertThat(Sha256.hex(bytes)).isEqualTo(v.sha256());
                assertThat(Sha256.hex(bytes)).isEqualTo(Sha256.hex(RegisterChild.expected(v)));
            }
            auditLogMatchesWhatTookEffect(registry);
        }
        assertThat(killedMidway).as("at least one child was killed before it finished").isTrue();
        // and the registry still takes registrations
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        int before = registry.versions("shared").size();
        registry.register("shared").artifact(new byte[] {42}).save();
        assertThat(registry.versions("shared")).hasSize(before + 1);
    }

    /** The audit log lists exactly the changes that took effect, however a kill fell. */
    private static void auditLogMatchesWhatTookEffect(ModelRegistry registry) {
        List<String> listed = registry.versions("shared").stream().map(ModelVersion::version).toList();
        List<RegistryEvent> events = registry.auditLog();
        assertThat(events.stream().filter(e -> e.type() == RegistryEvent.Type.REGISTERED).map(RegistryEvent::version))
                .as("versions registered in the audit log").containsExactlyInAnyOrderElementsOf(listed);
        List<AliasChange> moves = registry.aliasHistory("shared", "production");
        assertThat(events.stream().filter(e -> e.type() == RegistryEvent.Type.ALIAS_MOVED).map(RegistryEvent::version))
                .as("alias moves in the audit log").containsExactlyElementsOf(moves.stream().map(AliasChange::to).toList());
    }

    /** Small artifacts, so that most kills land inside the locked commit, between its steps. */
    @Test
    void killsMidCommitNeverLeaveAChangeOutOfTheAuditLog() throws Exception {
        Random random = new Random(20261130);
        for (int round = 0; round < 10; round++) {
            try (ChildJvm child = ChildJvm.start(RegisterChild.class, dir.toString(), Integer.toString(20 + round), "200", "0",
                    "move-alias")) {
                child.awaitLine("started", Duration.ofSeconds(60));
                int after = 1 + random.nextInt(40);
                for (int k = 0; k < after; k++) {
                    child.awaitLine("registered", Duration.ofSeconds(60));
                }
                Thread.sleep(random.nextInt(3));
                child.kill();
            }
            auditLogMatchesWhatTookEffect(ModelRegistry.fileSystem(dir));
        }
    }

    private static byte[] readAll(ModelRegistry registry, ModelVersion v) throws IOException {
        try (InputStream in = registry.openArtifact(v)) {
            return in.readAllBytes();
        }
    }

    /**
     * Child JVM: registers {@code count} versions of "shared", alternating explicit pre-release
     * versions (unique to this child) and auto-numbered ones. Args: root, child, count, padding bytes.
     */
    public static final class RegisterChild {
        public static void main(String[] args) {
            ModelRegistry registry = ModelRegistry.builder().fileSystem(Path.of(args[0])).actor("child-" + args[1]).build();
            int child = Integer.parseInt(args[1]);
            int count = Integer.parseInt(args[2]);
            int padding = Integer.parseInt(args[3]);
            System.out.println("started");
            System.out.flush();
            for (int k = 0; k < count; k++) {
                byte[] content = content(child, k);
                if (padding > 0) {
                    content = java.util.Arrays.copyOf(content, content.length + padding);
                }
                Registration r = registry.register("shared").artifact(content).metadata("child", child).metadata("k", k)
                        .metadata("padding", padding);
                boolean explicit = k % 2 == 0;
                if (explicit) {
                    r.version("0.0.1-c" + child + "." + k);
                }
                ModelVersion v = r.save();
                System.out.println("registered " + v.version() + (explicit ? " explicit" : " auto"));
                if (args.length > 4) {
                    registry.setAlias("shared", "production", v.version());
                }
            }
        }

        /** What a version's artifact must hold, from what its metadata says about how it was made. */
        static byte[] expected(ModelVersion v) {
            byte[] content = content(v.metadata().get("child"), v.metadata().get("k"));
            int padding = ((Number) v.metadata().get("padding")).intValue();
            return java.util.Arrays.copyOf(content, content.length + padding);
        }

        static byte[] content(Object child, Object k) {
            return ("model of child " + child + " #" + k).getBytes(StandardCharsets.UTF_8);
        }
    }
}
