package io.mlops.benchmarks;

import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A scoring service's first loads, in a fresh process: opens a file-system registry that another
 * process filled ({@code setup}), then times each of the first 200 loads ({@code get(name,
 * version)}, {@code openArtifact}, the artifact read to its end with its SHA-256 checked), of the
 * 100 versions in turn. Prints the first load and the p50 / p90 / max of the 200. The chapter's
 * side is {@code bin/reference-registry}, the same work in Python ({@code load_model} of a 1 KB
 * joblib artifact).
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.RegistryLoadProcess setup DIR [BYTES]
 * java -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.RegistryLoadProcess load DIR
 * </pre>
 */
public final class RegistryLoadProcess {

    static final int VERSIONS = 100;
    static final int LOADS = 200;

    private RegistryLoadProcess() {
    }

    /**
     * @param args {@code setup DIR [BYTES]} or {@code load DIR}
     * @throws IOException when the folder cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: RegistryLoadProcess setup DIR [BYTES] | load DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        if (args[0].equals("setup")) {
            int bytes = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
            Files.createDirectories(dir);
            ModelRegistry registry = ModelRegistry.fileSystem(dir);
            byte[] artifact = new byte[bytes];
            SplittableRandom random = new SplittableRandom(9);
            for (int i = 0; i < VERSIONS; i++) {
                random.nextBytes(artifact);
                registry.register("churn").artifact(artifact).metadata("accuracy", 0.9).tag("algorithm", "forest").save();
            }
            System.out.println("registered " + VERSIONS + " versions of " + bytes + " bytes in " + dir);
            return;
        }
        long opening = System.nanoTime();
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        long opened = System.nanoTime();
        byte[] buffer = new byte[1 << 16];
        long[] nanos = new long[LOADS];
        long total = 0;
        for (int i = 0; i < LOADS; i++) {
            long t0 = System.nanoTime();
            ModelVersion v = registry.get("churn", "1.0." + i % VERSIONS);
            try (InputStream in = registry.openArtifact(v)) {
                for (int r; (r = in.read(buffer)) > 0; ) {
                    total += r;
                }
            }
            nanos[i] = System.nanoTime() - t0;
        }
        long first = nanos[0];
        Arrays.sort(nanos);
        System.out.printf("mlops: open %.2f ms; first load %.3f ms; %d loads p50 %.4f ms, p90 %.4f ms, max %.3f ms (%d bytes read)%n",
                (opened - opening) / 1e6, first / 1e6, LOADS, nanos[LOADS / 2 - 1] / 1e6, nanos[LOADS * 9 / 10 - 1] / 1e6,
                nanos[LOADS - 1] / 1e6, total);
    }
}
