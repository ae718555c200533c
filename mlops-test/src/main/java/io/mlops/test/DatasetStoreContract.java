package io.mlops.test;

import io.mlops.data.spi.StoredVersion;
import io.mlops.data.spi.DatasetStore;
import io.mlops.core.internal.io.Sha256;
import io.mlops.data.DatasetIds;
import io.mlops.data.DatasetVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compatibility kit every {@link DatasetStore} backend passes.
 *
 * @since 0.1.0
 */
public abstract class DatasetStoreContract {

    /**
     * Makes an empty store of the backend under test, for each test.
     *
     * @return the store
     * @throws IOException when it cannot be made
     */
    protected abstract DatasetStore newStore() throws IOException;

    /** The store under test, made by {@code newStore()} before each test. */
    protected DatasetStore store;

    @BeforeEach
    void createStore() throws IOException {
        store = newStore();
    }

    /**
     * A dataset version record whose ids and digests derive from {@code content}.
     *
     * @param name the dataset name
     * @param content stands for the data
     * @param parents parent ids
     * @return the record
     */
    protected static StoredVersion dataset(String name, String content, String... parents) {
        String sha = Sha256.hex(content.getBytes());
        DatasetVersion v = new DatasetVersion(DatasetIds.id(name, sha), name, sha, Instant.parse("2026-11-26T10:00:00.5Z"),
                "desc of " + content, List.of(parents), 123, OptionalLong.of(10), Map.of("k", "v"));
        return new StoredVersion(v, Sha256.hex(("csv " + content).getBytes()), Sha256.hex(("schema " + content).getBytes()),
                "csv", null);
    }

    /**
     * A file version record whose ids and digests derive from {@code content}.
     *
     * @param name the dataset name
     * @param content stands for the bytes
     * @return the record
     */
    protected static StoredVersion file(String name, String content) {
        String sha = Sha256.hex(content.getBytes());
        DatasetVersion v = new DatasetVersion(DatasetIds.id(name, sha), name, sha, Instant.EPOCH, "", List.of(), 7,
                OptionalLong.empty());
        return new StoredVersion(v, sha, null, StoredVersion.FILE, "events.bin");
    }

    /**
     * A folder version record of two parts whose digests derive from {@code content}.
     *
     * @param name the dataset name
     * @param content stands for the files
     * @return the record
     */
    protected static StoredVersion folder(String name, String content) {
        String sha = Sha256.hex(("folder " + content).getBytes());
        DatasetVersion v = new DatasetVersion(DatasetIds.id(name, sha), name, sha, Instant.EPOCH, "", List.of(), 300,
                OptionalLong.of(42));
        return new StoredVersion(v, Sha256.hex(("list " + content).getBytes()), null, StoredVersion.FILES, "events",
                List.of(new StoredVersion.Part("date=2026-12-01/part-0.parquet", Sha256.hex(("p0 " + content).getBytes()), 100),
                        new StoredVersion.Part("date=2026-12-02/part-0.parquet", Sha256.hex(("p1 " + content).getBytes()), 200)));
    }

    @Test
    void aFolderVersionComesBackWithItsPartsAndReferencesThem() throws IOException {
        StoredVersion f = folder("events", "a");
        store.put(f);
        assertThat(store.find(f.version().id())).contains(f);
        for (StoredVersion.Part p : f.parts()) {
            assertThat(store.isBlobReferenced(p.sha256())).as(p.path()).isTrue();
        }
        assertThat(store.isBlobReferenced(f.blobSha256())).isTrue();
        store.delete(f.version().id());
        assertThat(store.isBlobReferenced(f.parts().get(0).sha256())).isFalse();
    }

    @Test
    void aDigestMentionedInAnotherVersionsTextIsNoReference() throws IOException {
        StoredVersion f = folder("events", "a");
        String part = f.parts().get(0).sha256();
        String sha = Sha256.hex("note".getBytes());
        DatasetVersion v = new DatasetVersion(DatasetIds.id("notes", sha), "notes", sha, Instant.EPOCH,
                "rebuilt from part " + part, List.of(), 1, OptionalLong.of(1), Map.of("source-part", part));
        store.put(f);
        store.put(new StoredVersion(v, Sha256.hex("csv note".getBytes()), Sha256.hex("schema note".getBytes()), "csv", null));
        store.delete(f.version().id());
        assertThat(store.isBlobReferenced(part)).as("a part named only in another version's description and tags").isFalse();
    }

    @Test
    void aPartSharedByTwoFolderVersionsStaysReferencedUntilBothAreGone() throws IOException {
        StoredVersion a = folder("events", "a");
        StoredVersion.Part shared = a.parts().get(0);
        String sha = Sha256.hex("folder b".getBytes());
        StoredVersion b = new StoredVersion(new DatasetVersion(DatasetIds.id("events", sha), "events", sha, Instant.EPOCH, "",
                List.of(), 100, OptionalLong.of(1)), Sha256.hex("list b".getBytes()), null, StoredVersion.FILES, "events",
                List.of(shared, new StoredVersion.Part("again/part-0.parquet", shared.sha256(), shared.size())));
        store.put(a);
        store.put(b);
        store.delete(a.version().id());
        assertThat(store.isBlobReferenced(shared.sha256())).isTrue();
        assertThat(store.isBlobReferenced(a.parts().get(1).sha256())).isFalse();
        store.delete(b.version().id());
        assertThat(store.isBlobReferenced(shared.sha256())).isFalse();
    }

    @Test
    void putThenFindGivesBackEveryField() throws IOException {
        StoredVersion d = dataset("customer_data", "a");
        StoredVersion f = file("raw_events", "b");
        store.put(d);
        store.put(f);
        assertThat(store.find(d.version().id())).contains(d);
        assertThat(store.find(f.version().id())).contains(f);
        assertThat(store.find(DatasetIds.id("customer_data", Sha256.hex(new byte[1])))).isEmpty();
    }

    @Test
    void idsAreInCommitOrderAndNamesSorted() throws IOException {
        StoredVersion a = dataset("z_data", "a");
        StoredVersion b = dataset("z_data", "b");
        StoredVersion c = dataset("a_data", "c");
        store.put(b);
        store.put(a);
        store.put(c);
        assertThat(store.ids("z_data")).containsExactly(b.version().id(), a.version().id());
        assertThat(store.names()).containsExactly("a_data", "z_data");
    }

    @Test
    void childrenFollowParentsAndDeleteUpdatesTheGraph() throws IOException {
        StoredVersion root = dataset("d", "root");
        StoredVersion left = dataset("d", "left", root.version().id());
        StoredVersion right = dataset("d", "right", root.version().id());
        StoredVersion join = dataset("d", "join", left.version().id(), right.version().id());
        for (StoredVersion s : List.of(root, left, right, join)) {
            store.put(s);
        }
        assertThat(store.children(root.version().id())).containsExactly(left.version().id(), right.version().id());
        assertThat(store.children(left.version().id())).containsExactly(join.version().id());

        assertThat(store.delete(join.version().id())).isTrue();
        assertThat(store.delete(join.version().id())).isFalse();
        assertThat(store.children(left.version().id())).isEmpty();
        assertThat(store.ids("d")).hasSize(3);
    }

    @Test
    void knowsWhichBlobsAreReferenced() throws IOException {
        StoredVersion d = dataset("d", "x");
        store.put(d);
        assertThat(store.isBlobReferenced(d.blobSha256())).isTrue();
        assertThat(store.isBlobReferenced(d.schemaSha256())).isTrue();
        assertThat(store.isBlobReferenced(Sha256.hex(new byte[0]))).isFalse();
        store.delete(d.version().id());
        assertThat(store.isBlobReferenced(d.blobSha256())).isFalse();
    }

    @Test
    void writeLockedSectionsExcludeEachOther() throws Exception {
        assertThat(io.mlops.test.Concurrency.mostInsideAtOnce(6, 20, store::writeLocked)).isEqualTo(1);
    }

    /** Data versioning re-enters the lock to store bytes again after a race (see DefaultDataVersioning). */
    @Test
    void writeLockedIsReentrantForItsThread() throws Exception {
        StoredVersion a = dataset("d", "a");
        assertThat(store.writeLocked(() -> store.writeLocked(() -> {
            store.put(a);
            return store.find(a.version().id()).isPresent();
        }))).isTrue();
    }

    @Test
    void puttingAnExistingIdFailsAndDeletingAnUnknownIdIsFalse() throws IOException {
        StoredVersion a = dataset("d", "a");
        store.put(a);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.put(a)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(a.version().id());
        assertThat(store.ids("d")).containsExactly(a.version().id());
        assertThat(store.delete(DatasetIds.id("d", Sha256.hex(new byte[2])))).isFalse();
        assertThat(store.delete(a.version().id())).isTrue();
        assertThat(store.delete(a.version().id())).isFalse();
        assertThat(store.ids("d")).isEmpty();
        assertThat(store.names()).isEmpty();
    }
}
