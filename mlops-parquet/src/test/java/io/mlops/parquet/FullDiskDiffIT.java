package io.mlops.parquet;

import io.mlops.data.DataVersioning;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A disk that fills while a row comparison spills: the comparison fails with a clear error naming
 * the versions, the process goes on, and its temporary files are gone. The temporary folder of a
 * child JVM is a small ext4 volume that holds the engine's native library and both versions
 * written out with little to spare; its engine may use 8 MB of memory, so the join of the two
 * 1M-row versions must spill, and runs out of room. Needs root and loop devices; says SKIPPED
 * otherwise.
 */
class FullDiskDiffIT {

    @TempDir
    Path dir;

    private Path mount;

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0) {
            System.out.println(String.join(" ", command) + ": " + new String(out, StandardCharsets.UTF_8).strip());
        }
        return p.exitValue();
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            run("umount", mount.toString());
        }
    }

    private void mountExt4(long megabytes) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Assumptions.assumeTrue(root, "SKIPPED FullDiskDiffIT: mounting a test file system needs root");
        Path image = dir.resolve("ext4.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(megabytes << 20);
        }
        Path target = Files.createDirectories(dir.resolve("mnt"));
        boolean ok = run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString()) == 0
                && run("mount", "-o", "loop", image.toString(), target.toString()) == 0;
        if (!ok) {
            System.out.println("SKIPPED FullDiskDiffIT: cannot make and mount an ext4 image here (mkfs.ext4, loop devices)");
        }
        Assumptions.assumeTrue(ok, "cannot make and mount an ext4 image here");
        mount = target;
    }

    private String diffInChild(String a, String b) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-Djava.io.tmpdir=" + mount, "-Dmlops.duckdb.memoryLimit=8MB", "-cp",
                System.getProperty("java.class.path"), FullDiskDiffWork.class.getName(), dir.resolve("repo").toString(), a, b)
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        System.out.println("[child] " + out.strip());
        assertThat(child.exitValue()).as(out).isZero();
        return out;
    }

    private void assertNothingLeft() throws IOException {
        try (Stream<Path> left = Files.list(mount)) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.equals("lost+found"))
                    .filter(n -> !n.startsWith("libduckdb_java") && !n.equals("filler")).toList()).as("temporary files left on the full volume").isEmpty();
        }
    }

    /**
     * The engine's driver unpacks a 72 MB native library into the temporary folder when first used:
     * on a volume without that room it failed with an {@link ExceptionInInitializerError} that
     * ended the calling thread; now it is a {@code StorageException} saying what to do.
     */
    @Test
    void aTemporaryFolderTooSmallForTheEngineIsAClearError() throws Exception {
        mountExt4(24);
        String[] ids = twoVersions(10_000);
        String out = diffInChild(ids[0], ids[1]);
        assertThat(out).contains("REFUSED StorageException: Cannot start the embedded DuckDB engine: its native library")
                .contains("java.io.tmpdir (" + mount + ", about 72 MB needed)").doesNotContain("Exception in thread");
        assertNothingLeft();
    }

    @Test
    void aDiffThatFillsTheDiskFailsClearlyAndLeavesNothingBehind() throws Exception {
        mountExt4(200);
        String[] ids = twoVersions(1_000_000);
        String a = ids[0];
        String b = ids[1];
        // leave room for the engine's library (72 MB) and both versions written out, and 3 MB to spill into
        long needed = 72_000_000L + 2 * Files.size(dir.resolve("one").resolve("part-0.parquet")) + (3L << 20);
        long filler = Files.getFileStore(mount).getUsableSpace() - needed;
        assertThat(filler).isPositive();
        try (RandomAccessFile f = new RandomAccessFile(mount.resolve("filler").toFile(), "rw")) {
            byte[] block = new byte[1 << 20];
            for (long left = filler; left > 0; left -= block.length) {
                f.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        String out = diffInChild(a, b);
        assertThat(out).contains("REFUSED StorageException: Cannot compare '" + a + "' with '" + b + "'")
                .contains("spills beyond it into " + mount + ", where ").contains(" MB are free: give it more of either")
                .doesNotContain("where -1 MB")
                .as("the engine's spill, not the writing out, filled the disk").doesNotContain("cannot write them out");
        assertNothingLeft();
    }

    private String[] twoVersions(int rows) throws Exception {

        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            Files.createDirectories(one);
            Files.createDirectories(two);
            s.execute("COPY (SELECT i AS id, random() AS x FROM range(" + rows + ") r(i)) TO '" + one.resolve("part-0.parquet")
                    + "' (FORMAT parquet)");
            s.execute("COPY (SELECT i AS id, random() AS x FROM range(" + rows + ") r(i)) TO '" + two.resolve("part-0.parquet")
                    + "' (FORMAT parquet)");
        }
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        return new String[] {data.commit("t", one).save().id(), data.commit("t", two).save().id()};
    }
}
