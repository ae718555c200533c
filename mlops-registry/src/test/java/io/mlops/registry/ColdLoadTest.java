package io.mlops.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A scoring service's first load in a fresh process: what it must not pay for. */
class ColdLoadTest {

    @TempDir
    Path root;

    /**
     * Fails on the code before: the first {@code get} read the version's record as a Jackson tree,
     * building the object mapper (about 450 classes, a quarter of a second in a fresh JVM).
     */
    @Test
    void theFirstLoadInAFreshProcessDoesNotBuildTheObjectMapper() throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(root);
        registry.register("churn").artifact("a model".getBytes(StandardCharsets.UTF_8)).metadata("accuracy", 0.9)
                .metadata("features", java.util.List.of("tenure", "charges")).tag("algorithm", "forest").save();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-verbose:class", "-cp", System.getProperty("java.class.path"),
                LoadOne.class.getName(), root.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("LOADED churn:1.0.0 {accuracy=0.9, features=[tenure, charges]} {algorithm=forest} a model");
        assertThat(out).doesNotContain("com.fasterxml.jackson.databind.ObjectMapper");
    }

    /** The child process of the test above. */
    static final class LoadOne {
        public static void main(String[] args) throws Exception {
            ModelRegistry registry = ModelRegistry.fileSystem(Path.of(args[0]));
            ModelVersion v = registry.get("churn", "1.0.0");
            try (InputStream in = registry.openArtifact(v)) {
                System.out.println("LOADED " + v.coordinates() + " " + v.metadata() + " " + v.tags() + " "
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }
}
