package io.mlops.benchmarks;

import io.mlops.registry.ModelRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Registers a 200 MB artifact from a {@code byte[]} after four others (800 MB written, so that the
 * disk runs at its sustained rate), and prints the rate: to alternate with
 * {@code dd if=SRC of=DST bs=1M count=200 conv=fdatasync}, the disk's own rate in the same minutes.
 * {@code java -Xmx512m -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.RegisterLargeArtifact}
 */
public final class RegisterLargeArtifact {

    private RegisterLargeArtifact() {
    }

    /**
     * Runs it.
     *
     * @param args none
     * @throws IOException when the temp folder cannot be made or removed
     */
    public static void main(String[] args) throws IOException {
        Path root = Files.createTempDirectory("mlops-register-large");
        try {
            ModelRegistry registry = ModelRegistry.fileSystem(root);
            byte[] artifact = new byte[200_000_000];
            new SplittableRandom(1).nextBytes(artifact);
            for (int i = 0; i < 4; i++) {
                artifact[0] = (byte) i;
                registry.register("warm-up").artifact(artifact).save();
            }
            artifact[1] = 9;
            long start = System.nanoTime();
            registry.register("large").artifact(artifact).save();
            double ms = (System.nanoTime() - start) / 1e6;
            System.out.printf("register byte[] 200 MB: %.0f ms = %.0f MB/s%n", ms, 200 / ms * 1000);
        } finally {
            BenchData.deleteTree(root);
        }
    }
}
