package io.mlops.data.spi;

import io.mlops.core.spi.IoSupplier;
import io.mlops.data.internal.FileSystemDatasetStore;
import io.mlops.data.internal.InMemoryDatasetStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where {@link io.mlops.data.DataVersioning} keeps its version records and the lineage graph. The
 * bytes themselves are in a {@link io.mlops.core.spi.BlobStore}.
 *
 * <p><b>Contract</b> (checked by the compatibility kit {@code io.mlops.test.DatasetStoreContract} in
 * the {@code mlops-test} artifact): mutations ({@link #put}, {@link #delete}) are called only inside {@link #writeLocked},
 * which excludes every other writer of the store (across processes for shared stores); each
 * mutation is atomic and durable when it returns; reads need no lock and are thread-safe.
 *
 * @since 0.1.0
 */
public interface DatasetStore {

    /**
     * Runs an action while holding the store's exclusive write lock.
     *
     * @param action reads and writes that must not interleave with other writers
     * @param <T> the result type
     * @return what the action returned
     * @throws IOException when the lock cannot be taken or the action fails
     */
    <T> T writeLocked(IoSupplier<T> action) throws IOException;

    /**
     * @param id a version id
     * @return the record, or empty
     * @throws IOException when the store cannot be read
     */
    Optional<StoredVersion> find(String id) throws IOException;

    /**
     * @param name a dataset name
     * @return its version ids in commit order, oldest first
     * @throws IOException when the store cannot be read
     */
    List<String> ids(String name) throws IOException;

    /**
     * @return the names with at least one version, sorted
     * @throws IOException when the store cannot be read
     */
    List<String> names() throws IOException;

    /**
     * @param id a version id
     * @return the ids of the versions that list it as a parent, in commit order
     * @throws IOException when the store cannot be read
     */
    List<String> children(String id) throws IOException;

    /**
     * Checks the store's own files or rows for damage. Damage must stay local: listings and other
     * versions keep working; only the damaged items fail.
     *
     * @return what is damaged, with what to do about it; empty when all is well
     * @throws IOException when the store cannot be read at all
     */
    default List<io.mlops.core.Problem> verify() throws IOException {
        return List.of();
    }

    /**
     * Adds a version.
     *
     * @param version the record; its id must not exist yet
     * @throws IllegalStateException when the id exists (ids come from content: the caller checks
     *     under the write lock first)
     * @throws IOException when it cannot be written; the store is then unchanged
     */
    void put(StoredVersion version) throws IOException;

    /**
     * Removes a version.
     *
     * @param id a version id
     * @return {@code true} when it existed
     * @throws IOException when it cannot be removed
     */
    boolean delete(String id) throws IOException;

    /**
     * Tells whether some version's bytes or schema are that blob.
     *
     * @param sha256 a blob digest
     * @return {@code true} when some version's bytes or schema are that blob
     * @throws IOException when the store cannot be read
     */
    boolean isBlobReferenced(String sha256) throws IOException;

    /**
     * The file-system store: one JSON record per version and an append-only index of the lineage
     * graph, followed incrementally by readers.
     *
     * @param root the store's folder, created when missing
     * @return the store
     */
    static DatasetStore fileSystem(Path root) {
        return new FileSystemDatasetStore(root);
    }

    /**
     * The SQL store: PostgreSQL (shared by every process and machine that reaches the database) or
     * SQLite (one machine), with its tables created or migrated on open and recorded in the table
     * {@code mlops_schema_version}. Writers exclude each other with a transaction-scoped lock (an
     * advisory lock on PostgreSQL); a version and its lineage edges commit together, and a killed
     * writer's transaction rolls back.
     *
     * <p>Each call takes a connection from the data source and returns it: pass a pooled one (such
     * as HikariCP's) in production.
     *
     * @param dataSource connections to the database
     * @return the store
     * @throws io.mlops.core.StorageException when the database cannot be reached (naming where it was
     *     looked for) or holds a newer schema than this library knows
     */
    static DatasetStore jdbc(javax.sql.DataSource dataSource) {
        return new io.mlops.data.internal.JdbcDatasetStore(dataSource);
    }

    /**
     * @return a new, empty store in this JVM's heap, for tests
     */
    static DatasetStore inMemory() {
        return new InMemoryDatasetStore();
    }
}
