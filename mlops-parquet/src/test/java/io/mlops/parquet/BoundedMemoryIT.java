package io.mlops.parquet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Parquet table larger than the heap is committed as a folder version, profiled and row-diffed
 * against a second version by a child JVM whose heap is capped at 512 MB: nothing of the data
 * passes through the heap whole. The build runs it at 1 GiB (twice the heap; about 1.5 minutes);
 * {@code -Dmlops.bigData.bytes=4294967296} runs the 4 GiB (about 5.5 minutes on 2 cores:
 * see the README). Skipped, saying so, when the temporary folder's disk has less than four times
 * the table's size free.
 */
class BoundedMemoryIT {

    static final long BYTES = Long.getLong("mlops.bigData.bytes", 1L << 30);
    /** Ten random doubles and a BIGINT key a row: about 88 bytes of Parquet, barely compressible. */
    static final long BYTES_PER_ROW = 88;
    static final int PARTS = 8;

    @TempDir
    Path dir;

    @Test
    void aTableLargerThanTheHeapIsCommittedProfiledAndDiffedInAFewHundredMegabytes() throws Exception {
        long free = Files.getFileStore(dir).getUsableSpace();
        assumeTrue(free > 4 * BYTES, "SKIPPED BoundedMemoryIT: " + (free >> 20) + " MB free under " + dir + ", needs "
                + (4 * BYTES >> 20) + " MB");
        long rows = BYTES / BYTES_PER_ROW / PARTS * PARTS;
        long perPart = rows / PARTS;
        Path v1 = Files.createDirectories(dir.resolve("v1"));
        Path v2 = Files.createDirectories(dir.resolve("v2"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET temp_directory = '" + dir.resolve("gen-spill") + "'");
            String columns = "i AS id, random() AS x0, random() AS x1, random() AS x2, random() AS x3, random() AS x4, random() AS x5,"
                    + " random() AS x6, random() AS x7, random() AS x8, random() AS x9";
            for (int p = 0; p < PARTS; p++) {
                s.execute("COPY (SELECT " + columns + " FROM range(" + p * perPart + ", " + (p + 1) * perPart + ") t(i)) TO '"
                        + v1.resolve("part-" + p + ".parquet") + "' (FORMAT parquet, COMPRESSION snappy)");
            }
            // the second version: the same parts but the last, in which 1% of rows changed and 0.5% are gone
            for (int p = 0; p < PARTS - 1; p++) {
                Files.createLink(v2.resolve("part-" + p + ".parquet"), v1.resolve("part-" + p + ".parquet"));
            }
            s.execute("COPY (SELECT id, CASE WHEN id % 100 = 1 THEN x0 + 1 ELSE x0 END AS x0, x1, x2, x3, x4, x5, x6, x7, x8, x9"
                    + " FROM read_parquet('" + v1.resolve("part-" + (PARTS - 1) + ".parquet") + "') WHERE id % 200 <> 0) TO '"
                    + v2.resolve("part-" + (PARTS - 1) + ".parquet") + "' (FORMAT parquet, COMPRESSION snappy)");
        }
        long onDisk;
        try (Stream<Path> files = Files.list(v1)) {
            onDisk = files.mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(onDisk).as("the table's size on disk").isGreaterThanOrEqualTo(BYTES * 9 / 10);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx512m", "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-Dmlops.duckdb.memoryLimit=1GB", "-cp", System.getProperty("java.class.path"), BoundedMemoryWork.class.getName(),
                dir.resolve("repo").toString(), v1.toString(), v2.toString()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                System.out.println("[child] " + line);
            }
        }
        assertThat(child.waitFor(20, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(String.join("\n", lines)).isZero();
        long changed = countOf((PARTS - 1) * perPart, rows, 100, 1); // ids = 1 mod 100 in the last part
        long removed = countOf((PARTS - 1) * perPart, rows, 200, 0);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("COMMITTED " + rows + " " + (rows - removed) + " "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("PROFILED " + rows + " 11 "));
        // beyond ParquetProfiles.EXACT_ROWS the profile is sketched, and says so
        String method = rows > ParquetProfiles.EXACT_ROWS ? "sketched" : "exact";
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("PROFILED-FOLDER " + rows + " " + method + " in "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("DIFFED 0 " + removed + " " + changed + " "
                + (rows - removed - changed) + " "));
    }

    /** How many integers in [from, to) are congruent to r modulo m. */
    private static long countOf(long from, long to, long m, long r) {
        return count(to, m, r) - count(from, m, r);
    }

    private static long count(long below, long m, long r) {
        return below <= r ? 0 : (below - 1 - r) / m + 1;
    }
}
