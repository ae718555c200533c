package io.mlops.benchmarks;

import io.mlops.registry.ModelRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Registers a 200 MB artifact from a {@code byte[]}, alternating, round by round in the same
 * minute, with {@code dd if=SRC of=DST bs=1M conv=fdatasync} writing the same 200 MB to a new file
 * in the same folder: the disk's own rate under the same conditions. Both keep what they wrote
 * until the end, so that both allocate new page-cache pages (a {@code dd} whose output is deleted
 * before the next run reuses the freed pages and writes about twice as fast as one that keeps it;
 * so would a put). Prints each round and the ratio of the medians.
 * {@code java -Xmx512m -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.RegisterLargeArtifact [ROUNDS]}
 */
public final class RegisterLargeArtifact {

    private static final int BYTES = 200_000_000;
    private static final Pattern DD_SECONDS = Pattern.compile("copied, ([0-9.]+) s");

    private RegisterLargeArtifact() {
    }

    /**
     * Runs it.
     *
     * @param args the number of rounds (default 5)
     * @throws IOException when the temp folder cannot be made or removed, or dd cannot run
     * @throws InterruptedException when interrupted while dd runs
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path root = Files.createTempDirectory("mlops-register-large");
        try {
            ModelRegistry registry = ModelRegistry.fileSystem(root.resolve("registry"));
            byte[] artifact = new byte[BYTES];
            new SplittableRandom(1).nextBytes(artifact);
            Path source = root.resolve("source.bin");
            Files.write(source, artifact); // dd reads it from the page cache, as the put reads its array
            artifact[0] = -1;
            registry.register("warm-up").artifact(artifact).save();
            double[] ours = new double[rounds];
            double[] dd = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                dd[i] = dd(source, root.resolve("dd-" + i + ".bin"));
                artifact[0] = (byte) i;
                long start = System.nanoTime();
                registry.register("large").artifact(artifact).save();
                ours[i] = BYTES / 1e6 / ((System.nanoTime() - start) / 1e9);
                System.out.printf("round %d: dd %.0f MB/s, register byte[] %.0f MB/s%n", i + 1, dd[i], ours[i]);
            }
            java.util.Arrays.sort(ours);
            java.util.Arrays.sort(dd);
            System.out.printf("register byte[] 200 MB: median %.0f MB/s; dd conv=fdatasync median %.0f MB/s; %.0f%%%n",
                    ours[rounds / 2], dd[rounds / 2], 100 * ours[rounds / 2] / dd[rounds / 2]);
        } finally {
            BenchData.deleteTree(root);
        }
    }

    /** Runs dd and returns its rate in MB/s (10^6 bytes). */
    private static double dd(Path source, Path target) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("dd", "if=" + source, "of=" + target, "bs=1M", "conv=fdatasync")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("dd failed: " + out);
        }
        Matcher m = DD_SECONDS.matcher(out);
        if (!m.find()) {
            throw new IOException("cannot read dd's time from: " + out);
        }
        return BYTES / 1e6 / Double.parseDouble(m.group(1));
    }
}
