package io.mlops.core.internal;

import io.mlops.core.NotFoundException;
import io.mlops.core.internal.io.Sha256;
import io.mlops.core.StorageException;
import io.mlops.core.internal.io.AtomicFiles;
import io.mlops.core.spi.IoConsumer;
import io.mlops.core.internal.io.Streams;
import io.mlops.core.spi.BlobRef;
import io.mlops.core.spi.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The file-system {@link BlobStore}.
 *
 * <p>Layout: {@code <root>/objects/<first two hex digits>/<64 hex digits>} for blobs and
 * {@code <root>/tmp/} for puts in progress. A put streams into a temp file that it holds an OS
 * lock on, digesting as it goes; fsyncs it; then renames it to its digest's name (replacing a blob
 * of that name, which repairs one damaged on disk) and fsyncs the folder. The rename is the commit point: before it,
 * nothing is visible; after it, the whole blob is durable. Temp files of a killed writer lose their
 * lock with the process and are removed when a store is next opened on the root, once a minute old
 * (younger unlocked files may be puts that have not locked their file yet).
 *
 * <p>Thread-safe, and safe for several processes sharing a root: concurrent puts of the same bytes
 * each rename a complete, identical file into place.
 */
public final class FileSystemBlobStore implements BlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemBlobStore.class);

    private final Path root;
    private final Path objects;
    private final Path tmp;
    private final boolean readOnly;
    /** Per folder of a commit file: whether it is on this store's file system. */
    private final java.util.concurrent.ConcurrentHashMap<Path, Boolean> sameFileSystem =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Opens (creating when needed) a store and removes temp files of dead writers.
     *
     * @param root the store's folder
     * @throws StorageException when the folders cannot be created
     */
    public FileSystemBlobStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.objects = this.root.resolve("objects");
        this.tmp = this.root.resolve("tmp");
        this.readOnly = AtomicFiles.isReadOnlyDirectory(this.root);
        if (readOnly) {
            LOG.info("Opened the blob store at {} read-only: its folder is not writable", this.root);
            return;
        }
        try {
            AtomicFiles.createDirectories(objects);
            AtomicFiles.createDirectories(tmp);
            int removed = removeAbandonedTempFiles();
            if (removed > 0) {
                LOG.info("Removed {} temp file(s) left by interrupted writes in {}", removed, tmp);
            }
        } catch (IOException e) {
            throw new StorageException("Cannot open the blob store at " + this.root + ": " + StorageException.describe(e), e);
        }
    }

    /**
     * @return the store's folder
     */
    public Path root() {
        return root;
    }

    @Override
    public BlobRef put(InputStream content) throws IOException {
        Objects.requireNonNull(content, "content");
        return store((channel, digest) -> PipelinedCopy.copy(content, channel, digest), true);
    }

    /**
     * Leaves the folder fsync after the rename to the caller's next fsync of {@code commitFile}
     * when both are on the same file system: ext4 and XFS commit metadata changes in order through
     * one journal, so that fsync makes the rename durable too.
     */
    @Override
    public BlobRef put(InputStream content, Path commitFile) throws IOException {
        Objects.requireNonNull(content, "content");
        boolean syncName = !sameFileSystem(commitFile);
        return store((channel, digest) -> PipelinedCopy.copy(content, channel, digest), syncName);
    }

    private boolean sameFileSystem(Path commitFile) {
        Path folder = Objects.requireNonNull(commitFile, "commitFile").toAbsolutePath().getParent();
        return sameFileSystem.computeIfAbsent(folder, f -> {
            try {
                Files.createDirectories(f);
                return Files.getFileStore(f).equals(Files.getFileStore(objects));
            } catch (IOException e) {
                return false; // then the put syncs its own folder
            }
        });
    }

    @Override
    public BlobRef write(IoConsumer<OutputStream> content) throws IOException {
        Objects.requireNonNull(content, "content");
        return store((channel, digest) -> {
            DigestingChannelStream out = new DigestingChannelStream(channel, digest);
            try (OutputStream buffered = new BufferedOutputStream(out, 1 << 16)) {
                content.accept(Streams.nonClosing(buffered));
            }
            out.flushes.await();
            return out.count;
        }, true);
    }

    /** Writes into the channel while digesting; returns the number of bytes. */
    private interface Filler {
        long fill(FileChannel channel, MessageDigest digest) throws IOException;
    }

    private BlobRef store(Filler filler, boolean syncName) throws IOException {
        requireWritable();
        Path temp = tmp.resolve("put-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        MessageDigest digest = Sha256.newDigest();
        boolean committed = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                // Held until the rename, so that a store opened by another process meanwhile does not
                // take this file for one abandoned by a dead writer.
                FileLock lock = channel.lock();
                long size = filler.fill(channel, digest);
                channel.force(false);
                String sha = Sha256.hex(digest);
                Path target = objectPath(sha);
                // Renamed over an existing blob too: the new file is complete and verified by its
                // digest, while the old one may have been damaged on disk since; readers that have it
                // open keep their copy. This costs no more than deleting the temp file would.
                AtomicFiles.createDirectories(target.getParent());
                if (syncName) {
                    AtomicFiles.moveAtomically(temp, target);
                } else {
                    Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                committed = true;
                lock.release();
                return new BlobRef(sha, size);
            }
        } finally {
            if (!committed) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Digests and writes what it is given, and flushes to disk every 32 MB as the copy does. */
    private static final class DigestingChannelStream extends OutputStream {
        private final FileChannel channel;
        private final MessageDigest digest;
        final BackgroundFlush flushes;
        long count;

        DigestingChannelStream(FileChannel channel, MessageDigest digest) {
            this.channel = channel;
            this.digest = digest;
            this.flushes = new BackgroundFlush(channel);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            digest.update(b, off, len);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            count += len;
            flushes.wrote(len);
        }
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        Path path = objectPath(Sha256.requireValid(sha256));
        InputStream in;
        try {
            in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("Blob " + sha256 + " not found in " + root);
        }
        return io.mlops.core.internal.io.Streams.verifying(in, sha256, "blob " + sha256 + " in " + root);
    }

    @Override
    public boolean exists(String sha256) {
        return Files.isRegularFile(objectPath(Sha256.requireValid(sha256)));
    }

    @Override
    public OptionalLong size(String sha256) throws IOException {
        try {
            return OptionalLong.of(Files.size(objectPath(Sha256.requireValid(sha256))));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean delete(String sha256) throws IOException {
        requireWritable();
        Path path = objectPath(Sha256.requireValid(sha256));
        boolean deleted = Files.deleteIfExists(path);
        if (deleted) {
            AtomicFiles.fsyncDirectory(path.getParent());
        }
        return deleted;
    }

    /** The file a blob is stored in; exposed to tests that simulate corruption. */
    Path objectPath(String sha256) {
        return objects.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private int removeAbandonedTempFiles() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(tmp, "*.tmp")) {
            for (Path p : stream) {
                if (removeIfAbandoned(p)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * How old an unlocked temp file must be to count as abandoned: a put creates its file and locks
     * it a moment later, and a store opened by another process in that moment must not take the
     * file for a dead writer's (it did, and the put's rename then failed: {@code CrossProcessDataIT}).
     */
    static final java.time.Duration ABANDONED_AFTER = java.time.Duration.ofMinutes(1);

    private static boolean removeIfAbandoned(Path temp) {
        try {
            if (Files.getLastModifiedTime(temp).toMillis() > System.currentTimeMillis() - ABANDONED_AFTER.toMillis()) {
                return false; // young: its writer may not have locked it yet
            }
        } catch (IOException e) {
            return false; // committed or removed meanwhile
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // a put of this JVM is writing it
            }
            if (lock == null) {
                return false; // a put of another process is writing it
            }
            // The writer is gone (its lock went with it). Delete while holding the lock.
            Files.deleteIfExists(temp);
            return true;
        } catch (NoSuchFileException e) {
            return false; // committed or removed meanwhile
        } catch (IOException e) {
            LOG.warn("Could not remove abandoned temp file {}: {}", temp, e.toString());
            return false;
        }
    }

    private void requireWritable() {
        if (readOnly) {
            throw new io.mlops.core.ReadOnlyException("The blob store at " + root + " was opened read-only (its folder is not"
                    + " writable): it cannot store or delete content");
        }
    }

    @Override
    public String toString() {
        return "FileSystemBlobStore[" + root + "]";
    }

    /** Used by tests: how many temp files exist right now. */
    long tempFileCount() throws IOException {
        try (var s = Files.list(tmp)) {
            return s.count();
        }
    }
}
