package io.mlops.benchmarks;

import io.mlops.drift.ReferenceProfile;
import io.mlops.parquet.ParquetProfiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * The out-of-core profile of a large Parquet folder beside the disk's own read rate, in one fresh
 * process: generates (once) a folder of 8 snappy part files of a BIGINT key and ten random doubles
 * (about 88 bytes a row), then per repetition reads every file with {@code dd bs=1M} and profiles
 * the folder with {@link ParquetProfiles} (sketched beyond its exact budget), each after the page
 * cache is dropped when the process may ({@code /proc/sys/vm/drop_caches}, as root), so both read
 * from the disk; prints MB/s of each and their ratio. Run it with the heap the goal names:
 *
 * <pre>
 * java -Xmx512m -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.ParquetProfileProcess 4 /var/tmp/big [reps] [exact]
 * </pre>
 *
 * With {@code exact} as the fourth argument each repetition also profiles exactly (a sort per column).
 */
public final class ParquetProfileProcess {

    private static final int PARTS = 8;

    private ParquetProfileProcess() {
    }

    /**
     * @param args gigabytes, folder, repetitions (default 3), "exact" to add the exact method
     * @throws Exception when the disk or engine fails
     */
    public static void main(String[] args) throws Exception {
        double gigabytes = Double.parseDouble(args[0]);
        Path dir = Path.of(args[1]);
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        boolean exact = args.length > 3 && args[3].equals("exact");
        Path table = dir.resolve("table");
        long rows = (long) (gigabytes * (1L << 30)) / 88 / PARTS * PARTS;
        if (!Files.isDirectory(table)) {
            generate(table, rows);
        }
        long bytes;
        try (Stream<Path> files = Files.list(table)) {
            bytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("%s: %,d rows x 11 columns, %,d MB in %d files; heap %d MB%n", table, rows, bytes >> 20, PARTS,
                Runtime.getRuntime().maxMemory() >> 20);
        for (int rep = 1; rep <= reps; rep++) {
            boolean cold = dropCaches();
            long t0 = System.nanoTime();
            try (Stream<Path> files = Files.list(table)) {
                for (Path f : files.sorted().toList()) {
                    Process dd = new ProcessBuilder("dd", "if=" + f, "of=/dev/null", "bs=1M").redirectErrorStream(true).start();
                    dd.getInputStream().readAllBytes();
                    if (dd.waitFor() != 0) {
                        throw new IllegalStateException("dd failed on " + f);
                    }
                }
            }
            double ddSeconds = (System.nanoTime() - t0) / 1e9;
            dropCaches();
            t0 = System.nanoTime();
            ReferenceProfile profile = ParquetProfiles.profile(table, 10);
            double profileSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("rep %d (%s cache): dd %.1f s = %.0f MB/s; profile (%s) %.1f s = %.0f MB/s; ratio %.2f%n", rep,
                    cold ? "dropped" : "warm", ddSeconds, (bytes >> 20) / ddSeconds, profile.rankError("x0") > 0 ? "sketched" : "exact",
                    profileSeconds, (bytes >> 20) / profileSeconds, profileSeconds / ddSeconds);
            if (exact) {
                dropCaches();
                t0 = System.nanoTime();
                ParquetProfiles.profile(table, 10, Long.MAX_VALUE, io.mlops.core.ProgressListener.NONE);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("rep %d: profile (exact) %.1f s = %.0f MB/s; ratio %.2f%n", rep, s, (bytes >> 20) / s, s / ddSeconds);
            }
        }
    }

    private static void generate(Path table, long rows) throws Exception {
        Path temp = Files.createDirectories(table.resolveSibling("table.generating"));
        long perPart = rows / PARTS;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET temp_directory = '" + table.resolveSibling("spill") + "'");
            for (int p = 0; p < PARTS; p++) {
                s.execute("COPY (SELECT i AS id, random() AS x0, random() AS x1, random() AS x2, random() AS x3, random() AS x4,"
                        + " random() AS x5, random() AS x6, random() AS x7, random() AS x8, random() AS x9 FROM range("
                        + p * perPart + ", " + (p + 1) * perPart + ") t(i)) TO '" + temp.resolve("part-" + p + ".parquet")
                        + "' (FORMAT parquet, COMPRESSION snappy)");
            }
        }
        Files.move(temp, table);
    }

    /** Writes dirty pages out and drops the page cache; false when this process may not. */
    private static boolean dropCaches() throws IOException, InterruptedException {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        Path drop = Path.of("/proc/sys/vm/drop_caches");
        try {
            Files.writeString(drop, "3");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
