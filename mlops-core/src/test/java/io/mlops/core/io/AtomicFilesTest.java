package io.mlops.core.io;

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
    void staleTempFilesAreRemovedAndFreshOnesKept() throws IOException {
        Path stale = dir.resolve(".x.json.abc.tmp");
        Path fresh = dir.resolve(".y.json.def.tmp");
        Path other = dir.resolve("keep.tmp");
        Files.write(stale, new byte[1]);
        Files.write(fresh, new byte[1]);
        Files.write(other, new byte[1]);
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        assertThat(AtomicFiles.deleteStaleTempFiles(dir, Duration.ofHours(1))).isEqualTo(1);

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(other).exists();
    }

    @Test
    void aFileInTheWayOfAFolderIsAnError() throws IOException {
        Files.write(dir.resolve("blocker"), new byte[1]);
        assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("blocker/file"), new byte[1]))
                .isInstanceOf(IOException.class);
    }
}
