package io.mlops.registry;

import io.mlops.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A registration costs two fsyncs: its artifact's bytes, then its commit record (the audit line).
 * Counted with {@code strace} around a child JVM (Debian package {@code strace}; SKIPPED without it).
 */
class RegistrationSyncsIT {

    static final int MEASURED = 60;

    @TempDir
    Path dir;

    @Test
    void aRegistrationFsyncsTwice() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "SKIPPED: /usr/bin/strace is not installed");
        Path trace = dir.resolve("strace.txt");
        Path root = dir.resolve("registry");
        try (ChildJvm child = ChildJvm.start(List.of("/usr/bin/strace", "-f", "-qq", "-e", "trace=fsync,fdatasync,openat",
                "-o", trace.toString()), RegisterChild.class, root.toString(), Integer.toString(MEASURED))) {
            assertThat(child.waitFor(Duration.ofMinutes(2))).as(String.join("\n", child.output())).isZero();
        }
        List<String> lines = Files.readAllLines(trace);
        int start = indexOf(lines, "mark-start");
        int end = indexOf(lines, "mark-end");
        long syncs = lines.subList(start, end).stream().filter(l -> l.matches("^\\d+\\s+f(data)?sync\\(.*")).count();
        // a checkpoint every 128 commits may fall inside: the index fsync, the checkpoint file and its folder
        assertThat(syncs).as("fsyncs for %d registrations", MEASURED).isBetween(2L * MEASURED, 2L * MEASURED + 3);
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        throw new AssertionError("no " + marker + " in the trace");
    }

    /** Child: warms up (every fan-out folder of the blob store created), marks, registers, marks. */
    public static final class RegisterChild {
        public static void main(String[] args) throws IOException {
            Path root = Path.of(args[0]);
            int n = Integer.parseInt(args[1]);
            for (int i = 0; i < 256; i++) {
                Files.createDirectories(root.resolve("blobs/objects").resolve(String.format("%02x", i)));
            }
            ModelRegistry registry = ModelRegistry.fileSystem(root);
            for (int i = 0; i < 20; i++) {
                registry.register("m").artifact(new byte[] {(byte) i, 1}).metadata("i", i).save();
            }
            Files.write(root.resolve("mark-start"), new byte[0]); // an openat the trace shows
            for (int i = 0; i < n; i++) {
                registry.register("m").artifact(new byte[] {(byte) i, 2}).metadata("i", i).tag("t", "x").save();
            }
            Files.write(root.resolve("mark-end"), new byte[0]);
        }
    }
}
