package io.mlops.core.internal.io;

import io.mlops.core.LockTimeoutException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock that serialises threads of this JVM and other processes, through an OS file
 * lock on a lock file.
 *
 * <pre>{@code
 * try (LockFile lock = LockFile.acquire(root.resolve(".lock"), Duration.ofSeconds(10))) {
 *     // read, modify and write files under root
 * }
 * }</pre>
 *
 * <p>OS file locks are held per process, so a JVM-wide {@link ReentrantLock} per lock file is taken
 * first: threads of one JVM queue on it, and only its holder takes the OS lock. The lock is
 * reentrant for the thread that holds it. The OS releases the file lock when a process dies, so a
 * killed holder never leaves a lock behind. The lock file itself is created when missing and never
 * deleted (deleting it would let two processes lock two different files of the same name).
 *
 * <p>Instances are handles for one acquisition: close them exactly once, on the thread that
 * acquired them.
 *
 * @since 0.1.0
 */
public final class LockFile implements AutoCloseable {

    private static final ConcurrentHashMap<Path, Holder> HOLDERS = new ConcurrentHashMap<>();

    private final Path path;
    private final Holder holder;
    private boolean closed;

    private LockFile(Path path, Holder holder) {
        this.path = path;
        this.holder = holder;
    }

    /**
     * Acquires the lock, waiting at most {@code timeout}.
     *
     * @param lockFile the lock file; created (with its folders) when missing
     * @param timeout how long to wait for other threads and processes
     * @return the held lock; close it to release
     * @throws LockTimeoutException when the lock was not acquired in time (the message names the file)
     * @throws IOException when the lock file cannot be created or locked
     */
    public static LockFile acquire(Path lockFile, Duration timeout) throws IOException {
        Objects.requireNonNull(lockFile, "lockFile");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0 but was " + timeout);
        }
        Path key = lockFile.toAbsolutePath().normalize();
        long deadline = System.nanoTime() + timeout.toNanos();
        Holder holder = HOLDERS.computeIfAbsent(key, k -> new Holder());
        try {
            if (!holder.lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw timedOut(key, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockTimeoutException("Interrupted while waiting for lock " + key, e);
        }
        if (holder.lock.getHoldCount() > 1) {
            return new LockFile(key, holder); // reentrant: the OS lock is already ours
        }
        try {
            holder.fileLock = lockFile(key, deadline, timeout);
            return new LockFile(key, holder);
        } catch (IOException | RuntimeException e) {
            holder.lock.unlock();
            throw e;
        }
    }

    private static FileLock lockFile(Path key, long deadline, Duration timeout) throws IOException {
        AtomicFiles.createDirectories(key.getParent());
        FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            long sleepMillis = 1;
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    // another class loader of this JVM holds it; treat it like another process
                    lock = null;
                }
                if (lock != null) {
                    return lock;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw timedOut(key, timeout);
                }
                Thread.sleep(sleepMillis);
                sleepMillis = Math.min(50, sleepMillis * 2);
            }
        } catch (InterruptedException e) {
            channel.close();
            Thread.currentThread().interrupt();
            throw new LockTimeoutException("Interrupted while waiting for lock " + key, e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static LockTimeoutException timedOut(Path key, Duration timeout) {
        return new LockTimeoutException("Could not lock " + key + " within " + timeout.toMillis()
                + " ms: another thread or process holds it");
    }

    /**
     * @return the lock file
     */
    public Path path() {
        return path;
    }

    /**
     * Releases the lock (the OS lock when this was the outermost acquisition).
     *
     * @throws IOException when the OS lock cannot be released
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (holder.lock.getHoldCount() == 1 && holder.fileLock != null) {
                FileLock lock = holder.fileLock;
                holder.fileLock = null;
                try {
                    lock.release();
                } finally {
                    lock.channel().close();
                }
            }
        } finally {
            holder.lock.unlock();
        }
    }

    private static final class Holder {
        final ReentrantLock lock = new ReentrantLock(true);
        FileLock fileLock; // guarded by lock
    }
}
