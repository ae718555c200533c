package io.mlops.core.internal.io;

import io.mlops.core.LockTimeoutException;
import io.mlops.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LockFileTest {

    @TempDir
    Path dir;

    /** Read-modify-write of a counter file: loses increments unless the lock serialises them. */
    static void increment(Path lock, Path counter) throws IOException {
        try (LockFile held = LockFile.acquire(lock, Duration.ofSeconds(60))) {
            int value = Files.exists(counter) ? Integer.parseInt(Files.readString(counter).trim()) : 0;
            Thread.yield();
            AtomicFiles.write(counter, Integer.toString(value + 1).getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void threadsOfOneJvmAreSerialised() throws Exception {
        Path lock = dir.resolve(".lock");
        Path counter = dir.resolve("counter");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        increment(lock, counter);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Files.readString(counter)).isEqualTo("400");
    }

    @Test
    void processesAreSerialised() throws Exception {
        Path lock = dir.resolve(".lock");
        Path counter = dir.resolve("counter");
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                children.add(ChildJvm.start(IncrementChild.class, lock.toString(), counter.toString(), "100"));
            }
            for (int i = 0; i < 50; i++) {
                increment(lock, counter); // this JVM competes too
            }
            for (ChildJvm c : children) {
                assertThat(c.waitFor(Duration.ofSeconds(120))).as("exit code, output %s", c.output()).isZero();
            }
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
        }
        assertThat(Files.readString(counter)).isEqualTo("350");
    }

    @Test
    void aKilledHolderReleasesTheLock() throws Exception {
        Path lock = dir.resolve(".lock");
        try (ChildJvm child = ChildJvm.start(HoldChild.class, lock.toString())) {
            child.awaitLine("locked", Duration.ofSeconds(60));
            assertThatThrownBy(() -> LockFile.acquire(lock, Duration.ofMillis(200)))
                    .isInstanceOf(LockTimeoutException.class)
                    .hasMessageContaining(lock.toString());
            child.kill();
        }
        try (LockFile held = LockFile.acquire(lock, Duration.ofSeconds(10))) {
            assertThat(held.path()).isEqualTo(lock.toAbsolutePath());
        }
    }

    @Test
    void timesOutWhileAnotherThreadHoldsIt() throws Exception {
        Path lock = dir.resolve(".lock");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (LockFile l = LockFile.acquire(lock, Duration.ofSeconds(5))) {
                held.countDown();
                release.await();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        holder.start();
        held.await();
        try {
            assertThatThrownBy(() -> LockFile.acquire(lock, Duration.ofMillis(100)))
                    .isInstanceOf(LockTimeoutException.class)
                    .hasMessageContaining("within 100 ms");
        } finally {
            release.countDown();
            holder.join();
        }
        LockFile.acquire(lock, Duration.ZERO).close();
    }

    @Test
    void isReentrantForTheHoldingThread() throws Exception {
        Path lock = dir.resolve(".lock");
        try (LockFile outer = LockFile.acquire(lock, Duration.ofSeconds(1));
             LockFile inner = LockFile.acquire(lock, Duration.ofSeconds(1))) {
            assertThat(inner.path()).isEqualTo(outer.path());
        }
        // fully released: another thread gets it at once
        Thread other = new Thread(() -> {
            try {
                LockFile.acquire(lock, Duration.ZERO).close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        other.start();
        other.join();
    }

    /** Child JVM: increments the counter n times under the lock. */
    public static final class IncrementChild {
        public static void main(String[] args) throws IOException {
            for (int i = 0, n = Integer.parseInt(args[2]); i < n; i++) {
                increment(Path.of(args[0]), Path.of(args[1]));
            }
        }
    }

    /** Child JVM: takes the lock and holds it until killed. */
    public static final class HoldChild {
        public static void main(String[] args) throws Exception {
            LockFile.acquire(Path.of(args[0]), Duration.ofSeconds(10));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
