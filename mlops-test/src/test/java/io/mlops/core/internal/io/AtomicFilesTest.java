package io.mlops.core.internal.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesCreatingParentFolders() throws IOException {
        Path target = dir.resolve("a/b/c.txt");
        AtomicFiles.write(target, "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("hello");
    }

    @Test
    void aFailingWriterLeavesTheOldContentAndNoTempFile() throws IOException {
        Path target = dir.resolve("file.txt");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");

        assertThat(target).hasContent("old");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("file.txt");
        }
    }

    @Test
    void tempFilesOfDeadWritersAreRemovedAndLiveOnesKept() throws Exception {
        Path sub = dir.resolve("a").resolve("b");
        Files.createDirectories(sub);
        Path dead = sub.resolve(".x.json.abc.tmp");
        Path live = dir.resolve(".y.json.def.tmp");
        Path other = dir.resolve("keep.tmp");
        Files.write(dead, new byte[1]);
        Files.write(other, new byte[1]);
        // a write in progress in another process holds the lock on its temp file
        try (io.mlops.test.ChildJvm child = io.mlops.test.ChildJvm.start(HoldsLock.class, live.toString())) {
            child.awaitLine("locked", Duration.ofSeconds(60));
            assertThat(AtomicFiles.deleteAbandonedTempFiles(dir)).isEqualTo(1);
            assertThat(dead).doesNotExist();
            assertThat(live).exists();
            assertThat(other).exists();
            child.kill();
        }
        // and once that process is dead, its temp file goes too
        assertThat(AtomicFiles.deleteAbandonedTempFiles(dir)).isEqualTo(1);
        assertThat(live).doesNotExist();
    }

    /** Child JVM: creates a temp file, locks it like a writer, and waits to be killed. */
    public static final class HoldsLock {
        public static void main(String[] args) throws Exception {
            java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(Path.of(args[0]),
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            c.lock();
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @Test
    void aFileInTheWayOfAFolderIsAnError() throws IOException {
        Files.write(dir.resolve("blocker"), new byte[1]);
        assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("blocker/file"), new byte[1]))
                .isInstanceOf(IOException.class);
    }
}
