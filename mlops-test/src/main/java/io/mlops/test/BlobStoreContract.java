package io.mlops.test;

import io.mlops.core.spi.BlobRef;
import io.mlops.core.spi.BlobStore;
import io.mlops.core.IntegrityException;
import io.mlops.core.NotFoundException;
import io.mlops.core.internal.io.Sha256;
import io.mlops.core.ValidationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compatibility kit every {@link BlobStore} backend passes: extend it and supply the store and
 * the two backend-specific hooks.
 *
 * @since 0.1.0
 */
public abstract class BlobStoreContract {

    /** A fresh, empty store for one test. */
    protected abstract BlobStore newStore() throws IOException;

    /** Flips one byte of a stored blob, behind the store's back. */
    protected abstract void flipOneByte(BlobStore store, String sha256, long offset) throws IOException;

    /** The number of complete blobs the backend holds. */
    protected abstract long blobCount(BlobStore store) throws IOException;

    /** The store under test, made by {@code newStore()} before each test. */
    protected BlobStore store;

    @BeforeEach
    void createStore() throws IOException {
        store = newStore();
    }

    /**
     * Seeded random bytes.
     *
     * @param size how many
     * @param seed the seed
     * @return the bytes
     */
    protected static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * Reads a blob whole, verified.
     *
     * @param store the store
     * @param sha the blob
     * @return its bytes
     * @throws IOException when it cannot be read
     */
    protected static byte[] readAll(BlobStore store, String sha) throws IOException {
        try (InputStream in = store.open(sha)) {
            return in.readAllBytes();
        }
    }

    @Test
    void putReturnsTheDigestAndSizeAndOpenGivesTheBytesBack() throws IOException {
        byte[] content = randomBytes(100_000, 1);

        BlobRef ref = store.put(new ByteArrayInputStream(content));

        assertThat(ref.sha256()).isEqualTo(Sha256.hex(content));
        assertThat(ref.size()).isEqualTo(content.length);
        assertThat(store.exists(ref.sha256())).isTrue();
        assertThat(store.size(ref.sha256())).hasValue(content.length);
        assertThat(readAll(store, ref.sha256())).isEqualTo(content);
    }

    @Test
    void emptyAndMultiChunkBlobsRoundTrip() throws IOException {
        for (int size : new int[] {0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 5 * (1 << 20) + 12345}) {
            byte[] content = randomBytes(size, size);
            BlobRef ref = store.put(new ByteArrayInputStream(content));
            assertThat(ref.sha256()).as("size %d", size).isEqualTo(Sha256.hex(content));
            assertThat(readAll(store, ref.sha256())).as("size %d", size).isEqualTo(content);
        }
    }

    @Test
    void identicalContentIsStoredOnce() throws IOException {
        byte[] content = randomBytes(10_000, 2);
        long before = blobCount(store);

        BlobRef first = store.put(new ByteArrayInputStream(content));
        BlobRef second = store.put(new ByteArrayInputStream(content.clone()));

        assertThat(second).isEqualTo(first);
        assertThat(blobCount(store)).isEqualTo(before + 1);
        store.put(new ByteArrayInputStream(randomBytes(10_000, 3)));
        assertThat(blobCount(store)).isEqualTo(before + 2);
    }

    @Test
    void verifyOnReadCatchesOneFlippedByte() throws IOException {
        byte[] content = randomBytes(3 * (1 << 20), 4);
        BlobRef ref = store.put(new ByteArrayInputStream(content));

        flipOneByte(store, ref.sha256(), 1_234_567);

        assertThatThrownBy(() -> readAll(store, ref.sha256()))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining(ref.sha256());
        // a reader that skips instead of reading is verified too
        assertThatThrownBy(() -> {
            try (InputStream in = store.open(ref.sha256())) {
                in.skip(Long.MAX_VALUE);
                in.read();
            }
        }).isInstanceOf(IntegrityException.class);
    }

    @Test
    void puttingTheSameBytesAgainRepairsADamagedBlob() throws IOException {
        byte[] content = randomBytes(200_000, 5);
        BlobRef ref = store.put(new ByteArrayInputStream(content));
        flipOneByte(store, ref.sha256(), 77_777);
        assertThatThrownBy(() -> readAll(store, ref.sha256())).isInstanceOf(IntegrityException.class);

        assertThat(store.put(new ByteArrayInputStream(content))).isEqualTo(ref);
        assertThat(readAll(store, ref.sha256())).isEqualTo(content);
        assertThat(store.write(out -> out.write(content))).isEqualTo(ref);
        assertThat(readAll(store, ref.sha256())).isEqualTo(content);
        assertThat(blobCount(store)).isEqualTo(1);
    }

    @Test
    void unknownAndMalformedDigestsAreRejected() throws IOException {
        String unknown = Sha256.hex(new byte[] {42});
        assertThat(store.exists(unknown)).isFalse();
        assertThat(store.size(unknown)).isEmpty();
        assertThatThrownBy(() -> store.open(unknown)).isInstanceOf(NotFoundException.class).hasMessageContaining(unknown);
        for (String bad : new String[] {"../../etc/passwd", "ABC", unknown.toUpperCase(), unknown + "0", ""}) {
            assertThatThrownBy(() -> store.open(bad)).as(bad).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> store.exists(bad)).as(bad).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> store.delete(bad)).as(bad).isInstanceOf(ValidationException.class);
        }
    }

    @Test
    void deleteRemovesABlobOnce() throws IOException {
        BlobRef ref = store.put(new ByteArrayInputStream(randomBytes(1000, 5)));
        assertThat(store.delete(ref.sha256())).isTrue();
        assertThat(store.delete(ref.sha256())).isFalse();
        assertThat(store.exists(ref.sha256())).isFalse();
        assertThatThrownBy(() -> store.open(ref.sha256())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aFailingStreamStoresNothing() throws IOException {
        long before = blobCount(store);
        InputStream failing = new InputStream() {
            long served;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served > 3 * (1 << 20)) {
                    throw new IOException("network cut");
                }
                served += len;
                return len;
            }
        };

        assertThatThrownBy(() -> store.put(failing)).isInstanceOf(IOException.class).hasMessageContaining("network cut");
        assertThat(blobCount(store)).isEqualTo(before);
    }

    @Test
    void writeStoresWhatTheCallbackWritesAndDedupsWithPut() throws IOException {
        byte[] content = randomBytes(3 * (1 << 20) + 5, 12);
        BlobRef written = store.write(out -> {
            out.write(content, 0, 1000);
            out.write(content, 1000, content.length - 1000);
        });
        assertThat(written).isEqualTo(new BlobRef(Sha256.hex(content), content.length));
        assertThat(readAll(store, written.sha256())).isEqualTo(content);
        long count = blobCount(store);
        assertThat(store.put(new ByteArrayInputStream(content))).isEqualTo(written);
        assertThat(blobCount(store)).isEqualTo(count);
    }

    @Test
    void aFailingWriteCallbackStoresNothing() throws IOException {
        long before = blobCount(store);
        assertThatThrownBy(() -> store.write(out -> {
            out.write(randomBytes(2 * (1 << 20), 13));
            throw new IOException("renderer failed");
        })).isInstanceOf(IOException.class).hasMessage("renderer failed");
        assertThat(blobCount(store)).isEqualTo(before);
    }

    @Test
    void eightThreadsPuttingTheSameContentAtOnceGetOneIntactBlob() throws Exception {
        byte[] content = randomBytes(4 * (1 << 20) + 7, 6);
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<BlobRef>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<BlobRef> put = () -> {
                    start.await();
                    return store.put(new ByteArrayInputStream(content));
                };
                results.add(pool.submit(put));
            }
            for (Future<BlobRef> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS).sha256()).isEqualTo(Sha256.hex(content));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(blobCount(store)).isEqualTo(1);
        assertThat(readAll(store, Sha256.hex(content))).isEqualTo(content);
    }

    @Test
    void threadsPuttingDifferentContentKeepEveryBlob() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<BlobRef>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int seed = 100 + i;
                results.add(pool.submit(() -> store.put(new ByteArrayInputStream(randomBytes(50_000 + seed, seed)))));
            }
            for (int i = 0; i < results.size(); i++) {
                BlobRef ref = results.get(i).get(60, TimeUnit.SECONDS);
                assertThat(readAll(store, ref.sha256())).isEqualTo(randomBytes(50_000 + 100 + i, 100 + i));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(blobCount(store)).isEqualTo(32);
    }
}
