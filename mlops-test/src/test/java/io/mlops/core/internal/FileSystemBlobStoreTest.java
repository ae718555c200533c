package io.mlops.core.internal;

import io.mlops.core.internal.io.Sha256;
import io.mlops.core.spi.BlobRef;
import io.mlops.core.spi.BlobStore;
import io.mlops.test.BlobStoreContract;
import io.mlops.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class FileSystemBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path dir;

    @Override
    protected BlobStore newStore() {
        return BlobStore.fileSystem(dir.resolve("blobs"));
    }

    @Override
    protected void flipOneByte(BlobStore store, String sha256, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(((FileSystemBlobStore) store).objectPath(sha256).toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 1);
        }
    }

    @Override
    protected long blobCount(BlobStore store) throws IOException {
        return countBlobs(((FileSystemBlobStore) store).root());
    }

    private static long countBlobs(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root.resolve("objects"))) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void blobsLiveInFanOutFoldersNamedByDigestAndNoTempFileRemains() throws IOException {
        byte[] content = randomBytes(3 * (1 << 20), 9);
        BlobRef ref = store.put(new ByteArrayInputStream(content));
        Path root = ((FileSystemBlobStore) store).root();
        Path expected = root.resolve("objects").resolve(ref.sha256().substring(0, 2)).resolve(ref.sha256());
        assertThat(expected).isRegularFile().hasSize(content.length);
        assertThat(((FileSystemBlobStore) store).tempFileCount()).isZero();
        store.put(new ByteArrayInputStream(content)); // the dedup path removes its temp file too
        assertThat(((FileSystemBlobStore) store).tempFileCount()).isZero();
    }

    @Test
    void aStoreReopenedOnTheSameRootSeesEveryBlob() throws IOException {
        byte[] content = randomBytes(5000, 10);
        BlobRef ref = store.put(new ByteArrayInputStream(content));
        BlobStore reopened = BlobStore.fileSystem(((FileSystemBlobStore) store).root());
        assertThat(readAll(reopened, ref.sha256())).isEqualTo(content);
    }

    @Test
    void openingAStoreRemovesTempFilesOfDeadWritersButNotOfLiveOnes() throws IOException {
        Path root = ((FileSystemBlobStore) store).root();
        Path abandoned = root.resolve("tmp/put-dead.tmp");
        Files.write(abandoned, new byte[100]);
        agePastTheGrace(abandoned);
        Path live = root.resolve("tmp/put-live.tmp");
        try (FileChannel channel = FileChannel.open(live, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            BlobStore.fileSystem(root);
            assertThat(abandoned).doesNotExist();
            assertThat(live).exists();
            assertThat(lock.isValid()).isTrue();
        }
    }

    /** As if a minute had passed since the writer last touched the file. */
    private static void agePastTheGrace(Path temp) throws IOException {
        Files.setLastModifiedTime(temp, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                - FileSystemBlobStore.ABANDONED_AFTER.toMillis() - 5_000));
    }

    /**
     * A put creates its temp file and locks it a moment later; a store opened by another process in
     * that moment took the unlocked file for a dead writer's and deleted it, and the put's rename
     * failed ({@code CrossProcessDataIT}, one run in CI): a young unlocked file is left alone.
     */
    @Test
    void aTempFileNotYetLockedByItsWriterSurvivesAStoreOpening() throws IOException {
        Path root = ((FileSystemBlobStore) store).root();
        Path justCreated = root.resolve("tmp/put-just-created.tmp");
        Files.write(justCreated, new byte[0]);
        BlobStore.fileSystem(root);
        assertThat(justCreated).as("a put's file before its lock").exists();
        agePastTheGrace(justCreated);
        BlobStore.fileSystem(root);
        assertThat(justCreated).as("unlocked and a minute old: abandoned").doesNotExist();
    }

    @Test
    void aChildJvmKilledInTheMiddleOfALargePutLeavesNoVisiblePartialBlob() throws Exception {
        Path root = ((FileSystemBlobStore) store).root();
        long before = countBlobs(root);
        try (ChildJvm child = ChildJvm.start(BlobPutChild.class, root.toString(), Long.toString(4L << 30))) {
            child.awaitLine("putting", Duration.ofSeconds(60));
            awaitTempFileOfAtLeast(root.resolve("tmp"), 32L << 20, Duration.ofSeconds(60));
            child.kill();
        }
        // the killed put left its temp file, invisible to readers
        assertThat(countBlobs(root)).isEqualTo(before);
        try (java.util.stream.Stream<Path> temps = Files.list(root.resolve("tmp"))) {
            for (Path t : temps.toList()) {
                agePastTheGrace(t);
            }
        }

        FileSystemBlobStore reopened = new FileSystemBlobStore(root);

        assertThat(reopened.tempFileCount()).as("abandoned temp file removed on open").isZero();
        assertThat(countBlobs(root)).isEqualTo(before);
        byte[] content = randomBytes(2 * (1 << 20), 11);
        BlobRef ref = reopened.put(new ByteArrayInputStream(content));
        assertThat(readAll(reopened, ref.sha256())).isEqualTo(content);
    }

    private static void awaitTempFileOfAtLeast(Path tmp, long size, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(tmp)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    try {
                        if (Files.size(p) >= size) {
                            return;
                        }
                    } catch (java.nio.file.NoSuchFileException e) {
                        // renamed meanwhile
                    }
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no temp file reached " + size + " bytes in " + tmp);
    }

    /** Child JVM: puts a generated stream of the given size, printing "putting" first. */
    public static final class BlobPutChild {
        public static void main(String[] args) throws IOException {
            BlobStore store = BlobStore.fileSystem(Path.of(args[0]));
            long size = Long.parseLong(args[1]);
            System.out.println("putting");
            System.out.flush();
            BlobRef ref = store.put(new GeneratedStream(size));
            System.out.println("done " + ref.sha256());
        }
    }

    /** Deterministic bytes, generated on the fly: no memory held. */
    static final class GeneratedStream extends InputStream {
        private final long size;
        private long position;

        GeneratedStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            return (int) (position++ * 31 >>> 3) & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((position + i) * 31 >>> 3);
            }
            position += n;
            return n;
        }
    }

    @Test
    void generatedStreamDigestsAsItsBytes() throws IOException {
        byte[] all = new GeneratedStream(10_000).readAllBytes();
        assertThat(store.put(new GeneratedStream(10_000)).sha256()).isEqualTo(Sha256.hex(all));
    }

    /** Past several 32 MB flush intervals, flushed on another thread while the writes go on: every byte arrives. */
    @Test
    void aPutPastSeveralFlushIntervalsStoresEveryByte() throws IOException {
        long size = 100L << 20;
        java.security.MessageDigest expected = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = new GeneratedStream(size)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                expected.update(buffer, 0, n);
            }
        }
        BlobRef ref = store.put(new GeneratedStream(size));
        assertThat(ref.sha256()).isEqualTo(Sha256.hex(expected));
        assertThat(ref.size()).isEqualTo(size);
        java.security.MessageDigest read = Sha256.newDigest();
        long total = 0;
        try (InputStream in = store.open(ref.sha256())) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                read.update(buffer, 0, n);
                total += n;
            }
        }
        assertThat(total).isEqualTo(size);
        assertThat(Sha256.hex(read)).isEqualTo(ref.sha256());
    }
}
