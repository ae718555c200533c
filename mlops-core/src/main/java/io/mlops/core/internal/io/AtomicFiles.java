package io.mlops.core.internal.io;

import io.mlops.core.spi.IoConsumer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file writes: a temp file in the target's folder, written, fsync'd, atomically renamed
 * over the target, and the folder fsync'd.
 *
 * <p>A reader sees either the old content or the new content of a file written here, never a mix
 * or a truncated file, even when the writing process is killed or the machine loses power at any
 * instant (on file systems that honour fsync and atomic rename, such as ext4, XFS, APFS and NTFS).
 * A killed writer can leave a temp file behind; temp files are named {@code .<target>.<random>.tmp}
 * and are removed by {@link #deleteAbandonedTempFiles(Path)}.
 *
 * <p>The methods are thread-safe; concurrent writers of the same target each replace it whole, and
 * the last rename wins. Serialise read-modify-write cycles with {@link LockFile}.
 *
 * @since 0.1.0
 */
public final class AtomicFiles {

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private AtomicFiles() {
    }

    /**
     * Writes content produced by a callback.
     *
     * @param target the file to create or replace; its folder (and parents) are created when missing
     * @param content writes the whole content to the stream it is given; must not close it
     * @throws IOException when the content cannot be written; the target is then unchanged and the
     *     temp file removed
     */
    public static void write(Path target, IoConsumer<OutputStream> content) throws IOException {
        Objects.requireNonNull(content, "content");
        Path dir = parentOf(target);
        createDirectories(dir);
        Path temp = tempFileFor(target);
        boolean moved = false;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // held until after the rename: marks the temp file as a live write for
            // deleteAbandonedTempFiles in any process (POSIX renames a locked file as any other)
            channel.lock();
            OutputStream out = new BufferedOutputStream(new FlushingChannelStream(channel), 64 * 1024);
            content.accept(Streams.nonClosing(out)); // callbacks must not close it before the fsync
            out.flush();
            // the data must be on disk before the rename makes it visible under the target's name
            channel.force(true);
            moveAtomically(temp, target);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
        // moveAtomically fsync'd the folder
    }

    /**
     * Writes bytes.
     *
     * @param target the file to create or replace; its folder (and parents) are created when missing
     * @param bytes the whole content
     * @throws IOException when the content cannot be written; the target is then unchanged
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    /**
     * Renames {@code source} to {@code target} atomically, replacing {@code target} if it exists,
     * and fsyncs the target's folder. Both must be on the same file system.
     *
     * @param source an existing file, already fsync'd by the caller
     * @param target where it should appear
     * @throws IOException when the rename fails
     */
    public static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The file system does not support atomic rename of " + source + " to "
                    + target + "; mlops needs it for crash safety", e);
        }
        fsyncDirectory(parentOf(target));
    }

    /**
     * Tells whether a store's folder exists but cannot be written (a read-only file system, or a
     * folder the process may not write): such a store is opened read-only.
     *
     * @param dir the store's folder
     * @return true when it exists and is not writable
     */
    public static boolean isReadOnlyDirectory(Path dir) {
        return Files.isDirectory(dir) && !Files.isWritable(dir);
    }

    /**
     * Creates a folder and any missing parents, fsyncing each parent in which a folder was created,
     * so that the new folders survive a crash.
     *
     * @param dir the folder
     * @throws IOException when a folder cannot be created, or a file is in the way
     */
    public static void createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
                continue; // created concurrently by someone else
            }
            fsyncDirectory(p.getParent());
        }
    }

    /**
     * Flushes a folder's entries (creations, renames, deletions) to disk. A no-op on Windows, which
     * cannot open folders for this and persists renames with the file's metadata.
     *
     * @param dir the folder
     * @throws IOException when the folder cannot be opened or flushed
     */
    public static void fsyncDirectory(Path dir) throws IOException {
        if (WINDOWS || dir == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Deletes the temp files that killed writers left anywhere below a folder. A writer holds an OS
     * lock on its temp file until the rename, so a temp file whose lock can be taken belongs to a dead
     * writer, whichever process it was; writes in progress, here or in other processes, are left
     * alone. Stores call this when they are opened.
     *
     * @param root the folder to clean, with its subfolders; a missing folder is ignored
     * @return the number of files removed
     * @throws IOException when a folder cannot be listed
     */
    public static int deleteAbandonedTempFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        java.util.List<Path> candidates;
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            candidates = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(".") && n.endsWith(".tmp");
            }).toList();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        int removed = 0;
        for (Path p : candidates) {
            try (FileChannel channel = FileChannel.open(p, StandardOpenOption.WRITE)) {
                java.nio.channels.FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    continue; // a writer of this JVM
                }
                if (lock != null) {
                    Files.deleteIfExists(p); // while holding the lock: no writer can still own it
                    removed++;
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // renamed or removed meanwhile
            }
        }
        return removed;
    }

    static Path tempFileFor(Path target) {
        String name = target.getFileName().toString();
        return parentOf(target).resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                + ".tmp");
    }

    private static Path parentOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("target has no parent folder: " + target);
        }
        return parent;
    }

    /**
     * Writes to a channel and asks the disk to persist every {@link #FLUSH_EVERY} bytes, so that a
     * large file's final fsync has little left to do and the disk works while the caller produces
     * the rest.
     */
    private static final class FlushingChannelStream extends OutputStream {
        private static final long FLUSH_EVERY = 32L << 20;
        private final FileChannel channel;
        private long sinceFlush;

        FlushingChannelStream(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            sinceFlush += len;
            if (sinceFlush >= FLUSH_EVERY) {
                channel.force(false);
                sinceFlush = 0;
            }
        }
    }
}
