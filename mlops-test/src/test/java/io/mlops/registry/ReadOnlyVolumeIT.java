package io.mlops.registry;

import io.mlops.core.Dataset;
import io.mlops.data.DataVersioning;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registry and a data store on a read-only file system (the usual Kubernetes volume mounted into
 * serving containers) open read-only: reads work, writes fail with a {@code ReadOnlyException}
 * naming the store. Before, opening wrote a lock, a checkpoint and cleaned temp files, and failed.
 * The read-only file system is a read-only bind mount in a mount namespace of the child JVM's own
 * ({@code unshare}, as root); without root the folders' write permissions are removed instead.
 */
class ReadOnlyVolumeIT {

    @TempDir
    Path dir;

    @Test
    void aRegistryAndADataStoreOnAReadOnlyVolumeServeReadsAndRefuseWrites() throws Exception {
        Path source = Files.createDirectories(dir.resolve("volume"));
        ModelRegistry registry = ModelRegistry.fileSystem(source.resolve("registry"));
        registry.register("churn").artifact("model-1".getBytes()).save();
        registry.register("churn").artifact("model-2".getBytes()).save();
        registry.setAlias("churn", "production", "1.0.0");
        registry.setAlias("churn", "production", "1.0.1");
        DataVersioning data = DataVersioning.fileSystem(source.resolve("data"));
        data.commit("customers", Dataset.builder().numeric("x", new double[] {1, 2, 3}).build()).save();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> probe = List.of(java, "-cp", System.getProperty("java.class.path"), ReadOnlyProbe.class.getName());
        List<String> command = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path view = Files.createDirectories(dir.resolve("view"));
        if (root) {
            Assumptions.assumeTrue(canMount(), "SKIPPED: cannot make a read-only bind mount here (unshare --mount as root)");
            command.addAll(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                    "mount --bind \"$1\" \"$2\" && mount -o remount,ro,bind \"$2\" && shift 2 && exec \"$@\"",
                    "sh", source.toString(), view.toString()));
            command.addAll(probe);
            command.add(view.toString());
        } else {
            setWritable(source, false);
            command.addAll(probe);
            command.add(source.toString());
        }
        String output;
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(child.exitValue()).as(output).isZero();
        } finally {
            if (!root) {
                setWritable(source, true);
            }
        }
        assertThat(output).contains("alias production -> 1.0.1", "artifact model-2", "history 2", "dataset rows 3",
                "register refused: The blob store at", "alias move refused: The model store at", "commit refused:",
                "was opened read-only", "verify []").doesNotContain("?!");
        // and nothing was written to the volume
        registry.register("churn").artifact("model-3".getBytes()).save();
        assertThat(registry.versions("churn")).hasSize(3);
    }

    private static boolean canMount() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs none /mnt").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static void setWritable(Path tree, boolean writable) throws IOException {
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path p : all.toList()) {
                p.toFile().setWritable(writable, false);
            }
        }
    }
}
