package io.mlops.monitor;

import io.mlops.test.ChildJvm;
import io.mlops.monitor.spi.MonitorStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SQLite monitor left with an un-checkpointed WAL on a volume that then fills up: opening it again
 * opens it read-only (metrics and alerts answer from every acknowledged prediction, logging is a
 * clear {@link io.mlops.core.ReadOnlyException}), never a JVM killed by SIGBUS inside the driver
 * (which happened with a few KiB left on an ext4 volume of 1 KiB blocks). Before, the monitor
 * refused to open at all, even to read.
 *
 * <p>Needs root and loop devices to mount a small ext4 image; says SKIPPED with the reason elsewhere.
 */
class FullDiskIT {

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
            System.out.println(String.join(" ", command) + ": " + new String(out).strip());
        }
        return p.exitValue();
    }

    private void mountSmallExt4() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Assumptions.assumeTrue(root, "SKIPPED FullDiskIT: mounting a test file system needs root");
        Path image = dir.resolve("ext4.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(8L << 20);
        }
        Path target = dir.resolve("mnt");
        Files.createDirectories(target);
        boolean ok = run("mkfs.ext4", "-q", "-F", "-b", "1024", image.toString()) == 0
                && run("mount", "-o", "loop", image.toString(), target.toString()) == 0;
        if (!ok) {
            System.out.println("SKIPPED FullDiskIT: cannot make and mount an ext4 image here (mkfs.ext4, loop devices)");
        }
        Assumptions.assumeTrue(ok, "cannot make and mount an ext4 image here");
        mount = target;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            run("umount", mount.toString());
        }
    }

    @Test
    void openingOnAFullDiskIsAClearErrorAndNotACrash() throws Exception {
        mountSmallExt4();
        Path db = mount.resolve("monitor.db");
        try (ChildJvm child = ChildJvm.start(Writer.class, db.toString())) {
            assertThat(child.waitFor(Duration.ofSeconds(60))).as("writer output %s", child.output()).isZero();
        }
        assertThat(Files.size(mount.resolve("monitor.db-wal"))).as("the writer left its WAL").isPositive();
        Path filler = mount.resolve("filler");
        fill(filler);
        for (int freeKiB : List.of(4, 8, 12, 16, 20, 24, 32)) {
            Files.deleteIfExists(mount.resolve("monitor.db-shm"));
            try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
                f.setLength(Math.max(0, f.length() - 1024L * freeKiB));
            }
            run("sync");
            try (ChildJvm child = ChildJvm.start(Opener.class, db.toString())) {
                int exit = child.waitFor(Duration.ofSeconds(60));
                assertThat(exit).as("exit code with %d KiB free (134 = SIGBUS); output %s", freeKiB, child.output()).isZero();
                // opened read-only: every acknowledged prediction is readable, logging is refused, nothing crashes
                assertThat(child.output()).as("with %d KiB free", freeKiB)
                        .contains("opened " + Writer.COUNT + " alerts 0")
                        .anyMatch(l -> l.startsWith("log refused: The monitor on") && l.contains("read-only"));
            }
            fill(filler);
        }
        // with room again, every acknowledged prediction is there
        Files.delete(filler);
        try (ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.sqlite(db)).build()) {
            assertThat(monitor.metrics(Duration.ofDays(1)).counts().predictions()).isEqualTo(Writer.COUNT);
        }
    }

    /** Appends to the file until the volume is full (root's reserved blocks included). */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[1024];
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // ENOSPC: the volume is full
        }
    }

    /** Child JVM: logs predictions, flushes, and dies without closing, leaving the WAL behind. */
    public static final class Writer {
        static final int COUNT = 4_000;

        public static void main(String[] args) {
            ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.sqlite(Path.of(args[0]))).build();
            for (int i = 0; i < COUNT; i++) {
                monitor.prediction().input(Map.of("i", i, "pad", "x".repeat(200))).output(1).log();
            }
            monitor.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    /** Child JVM: opens the monitor and says what happened. */
    public static final class Opener {
        public static void main(String[] args) {
            try (ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.sqlite(Path.of(args[0]))).build()) {
                System.out.println("opened " + monitor.metrics(Duration.ofDays(1)).counts().predictions()
                        + " alerts " + monitor.activeAlerts().size());
                try {
                    monitor.prediction().input(Map.of("i", -1)).output(1).log();
                    System.out.println("logged?!");
                } catch (io.mlops.core.ReadOnlyException e) {
                    System.out.println("log refused: " + e.getMessage());
                }
            } catch (io.mlops.core.StorageException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }
}
