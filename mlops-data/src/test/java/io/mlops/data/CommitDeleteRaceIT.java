package io.mlops.data;

import io.mlops.core.NotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A commit whose content another version shares races the delete of that other version: the delete
 * collects the shared bytes between the commit's store and its record. Every acknowledged commit
 * must still read back.
 */
class CommitDeleteRaceIT {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedCommitReadsBackWhileTheVersionSharingItsBytesIsDeleted() throws Exception {
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("versions"));
        byte[] content = new byte[4 << 20];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("shared.bin");
        Files.write(file, content);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();
        AtomicInteger commits = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> deleter = pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    DatasetVersion other = data.commit("other", file).save();
                    data.delete(other.id());
                }
                return null;
            });
            List<Future<Object>> committers = List.of(0, 1).stream().map(t -> pool.submit(() -> {
                for (int i = 0; System.nanoTime() < deadline; i++) {
                    DatasetVersion v = data.commit("c" + t + "_" + i, file).save();
                    commits.incrementAndGet();
                    try (InputStream in = data.open(v.id())) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (NotFoundException e) {
                        lost.add(v.id());
                    }
                    data.delete(v.id());
                }
                return (Object) null;
            })).toList();
            deleter.get(2, TimeUnit.MINUTES);
            for (Future<Object> f : committers) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(commits.get()).isGreaterThan(10);
        assertThat(lost).as("acknowledged commits whose bytes were gone, of %d", commits.get()).isEmpty();
    }
}
