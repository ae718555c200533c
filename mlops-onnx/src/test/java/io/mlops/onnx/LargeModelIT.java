package io.mlops.onnx;

import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registered ONNX model larger than the Java heap loads: the loader streams the artifact (its
 * SHA-256 verified) to a file that ONNX Runtime reads itself. Before, the loader read the artifact
 * whole into a byte array, and a 100 MB model in a 64 MB heap was an OutOfMemoryError.
 */
class LargeModelIT {

    @TempDir
    Path dir;

    /** The chapter's model followed by a field ONNX Runtime skips, of {@code padding} zero bytes. */
    static Path padded(Path into, int padding) throws IOException {
        Path out = into.resolve("big.onnx");
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out))) {
            o.write(Files.readAllBytes(OnnxModelTest.MODELS.resolve("chapter_forest.onnx")));
            varint(o, (1000L << 3) | 2); // field 1000, length-delimited: unknown to ModelProto
            varint(o, padding);
            byte[] zeros = new byte[1 << 20];
            for (int left = padding; left > 0; left -= zeros.length) {
                o.write(zeros, 0, Math.min(left, zeros.length));
            }
        }
        return out;
    }

    private static void varint(OutputStream o, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            o.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }

    @Test
    void aModelLargerThanTheHeapLoadsFromTheRegistry() throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        Path big = padded(dir, 100 << 20);
        registry.register("big").version("1.0.0").artifact(big).save();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Process child = new ProcessBuilder(java, "-Xmx64m", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                LoadFromRegistry.class.getName(), dir.resolve("registry").toString(), "big", "1.0.0")
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("predicted [01]").doesNotContain("OutOfMemoryError");
        try (var left = Files.list(tmp)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("mlops-model-")))
                    .as("the temporary copy is deleted").isEmpty();
        }
    }
}
