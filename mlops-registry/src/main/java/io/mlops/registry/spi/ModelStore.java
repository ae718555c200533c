package io.mlops.registry.spi;

import io.mlops.core.SemanticVersion;
import io.mlops.core.spi.IoSupplier;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.internal.FileSystemModelStore;
import io.mlops.registry.internal.InMemoryModelStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a {@link io.mlops.registry.ModelRegistry} keeps its metadata: versions, alias histories and
 * the audit log. Artifacts are not stored here but in a {@link io.mlops.core.spi.BlobStore}.
 *
 * <p><b>Contract</b> (checked by the compatibility kit {@code io.mlops.test.ModelStoreContract} in
 * the {@code mlops-test} artifact):
 * <ul>
 *   <li>The registry calls the mutating methods ({@link #put}, {@link #delete},
 *       {@link #appendAliasChange}, {@link #appendEvent}) only inside {@link #writeLocked}, which
 *       must exclude every other {@code writeLocked} section on the same store, in this JVM and,
 *       for shared stores, in other processes.</li>
 *   <li>Each mutation ({@link #put}, {@link #delete}, {@link #appendAliasChange}) is followed, in
 *       the same {@code writeLocked} section, by the {@link #appendEvent audit event} that
 *       describes it, and the two are one commit: a crash leaves both done or neither (as seen
 *       after the next {@code writeLocked} section, which may complete the last one), and readers
 *       never see a half-written record. A store may therefore apply a mutation when its event is
 *       appended, not before.</li>
 *   <li>Reads need no lock and are safe to call from many threads while another thread or process
 *       writes.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public interface ModelStore {

    /**
     * Runs an action while holding the store's exclusive write lock.
     *
     * @param action reads and writes that must not interleave with other writers
     * @param <T> the action's result type
     * @return what the action returned
     * @throws IOException when the lock cannot be taken or the action fails
     * @throws io.mlops.core.LockTimeoutException when another writer holds the lock too long
     */
    <T> T writeLocked(IoSupplier<T> action) throws IOException;

    /**
     * @return the names of models with at least one version, sorted
     * @throws IOException when the store cannot be read
     */
    List<String> models() throws IOException;

    /**
     * @param model a model name
     * @return the model's versions in ascending natural order (precedence, then build metadata)
     * @throws IOException when the store cannot be read
     */
    List<SemanticVersion> versions(String model) throws IOException;

    /**
     * @param model a model name, already validated
     * @param version a version, already parsed
     * @return the record, or empty
     * @throws IOException when the store cannot be read ({@link io.mlops.core.spi.CorruptFileException}
     *     when the record is damaged)
     */
    Optional<ModelVersion> find(String model, SemanticVersion version) throws IOException;

    /**
     * Creates or replaces a version record.
     *
     * @param version the record
     * @throws IOException when it cannot be written; the store is then unchanged
     */
    void put(ModelVersion version) throws IOException;

    /**
     * Removes a version record.
     *
     * @param model a model name, already validated
     * @param version a version, already parsed
     * @return {@code true} when it existed
     * @throws IOException when it cannot be removed
     */
    boolean delete(String model, SemanticVersion version) throws IOException;

    /**
     * @param model a model name
     * @param alias an alias
     * @return the alias's moves, oldest first; empty when it was never set
     * @throws IOException when the store cannot be read ({@link io.mlops.core.spi.CorruptFileException}
     *     when the alias's history is damaged: only this alias's reads may fail for it)
     */
    List<AliasChange> aliasHistory(String model, String alias) throws IOException;

    /**
     * @param model a model name
     * @return the aliases of the model that have a history, sorted
     * @throws IOException when the store cannot be read
     */
    List<String> aliasNames(String model) throws IOException;

    /**
     * Appends a move to an alias's history.
     *
     * @param change the move
     * @throws IOException when it cannot be written; the history is then unchanged
     */
    void appendAliasChange(AliasChange change) throws IOException;

    /**
     * Appends an event to the audit log: the commit point of the mutations before it in the same
     * {@link #writeLocked} section.
     *
     * @param event the event
     * @throws IOException when it cannot be written
     */
    void appendEvent(RegistryEvent event) throws IOException;

    /**
     * Appends a signature (a DSSE envelope, {@link io.mlops.registry.ModelSignature}) to a version's;
     * called inside {@link #writeLocked} and followed there by its {@code SIGNED} event, with which it
     * commits. Deleting the version removes its signatures. The default keeps none.
     *
     * @param model a model name, already validated
     * @param version a version that exists
     * @param envelope the envelope, JSON, at most 1 MiB
     * @throws IOException when it cannot be written
     * @throws UnsupportedOperationException when the store keeps no signatures
     * @since 0.1.0
     */
    default void appendSignature(String model, SemanticVersion version, String envelope) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no signatures");
    }

    /**
     * @param model a model name, already validated
     * @param version a version
     * @return the version's signature envelopes, oldest first (empty when none, or the store keeps none)
     * @throws IOException when the store cannot be read
     * @since 0.1.0
     */
    default List<String> signatures(String model, SemanticVersion version) throws IOException {
        return List.of();
    }

    /**
     * A small shared value the registry keeps beside its records — a webhook subscription's delivery
     * position and dead letters — read without a lock.
     *
     * @param key a key, 1 to 200 characters of {@code [A-Za-z0-9._-]}
     * @return the value, or empty
     * @throws IOException when the store cannot be read
     * @since 0.1.0
     */
    default Optional<String> value(String key) throws IOException {
        return Optional.empty();
    }

    /**
     * Sets a small shared value if it is still what the caller read: called inside
     * {@link #writeLocked}, durable when the section ends. The default keeps nothing.
     *
     * @param key the key
     * @param expected what the caller read (null: absent)
     * @param next the new value, at most 1 MiB
     * @return whether it was set (false: another writer changed it first)
     * @throws IOException when it cannot be written
     * @since 0.1.0
     */
    default boolean compareAndSetValue(String key, String expected, String next) throws IOException {
        return false;
    }

    /**
     * Checks the store's own files or rows for damage. Damage must stay local: reads of other
     * models, and listings, keep working; only the damaged items fail.
     *
     * @return what is damaged, with what to do about it; empty when all is well
     * @throws IOException when the store cannot be read at all
     */
    default List<io.mlops.core.Problem> verify() throws IOException {
        return List.of();
    }

    /**
     * The file whose fsync commits this store's writes, when it is one on a local file system: a
     * registration then lets the blob store leave the artifact's folder to that fsync (one fewer
     * per registration on ext4 and XFS). The default has none.
     *
     * @return the commit file, or empty
     * @since 0.1.0
     */
    default java.util.Optional<java.nio.file.Path> commitFile() {
        return java.util.Optional.empty();
    }

    /**
     * Calls back when another process may have committed an alias move. The default never calls
     * back (the registry's users then only poll).
     *
     * @param onChange what to run, from a thread of the store's
     * @return stops the watching
     * @throws IOException when the watching cannot start
     */
    default AutoCloseable watch(Runnable onChange) throws IOException {
        return () -> { };
    }

    /**
     * @return the audit log, oldest first
     * @throws IOException when the store cannot be read
     */
    List<RegistryEvent> events() throws IOException;

    /**
     * The audit log in one read, with what of it does not read: for the audit trail's verification.
     * The default reads {@link #events()} and the audit-log problems of {@link #verify()}.
     *
     * @param unreadable receives one problem per event that does not read
     * @return the readable events, oldest first
     * @throws IOException when the store cannot be read
     * @since 0.1.0
     */
    default List<RegistryEvent> events(List<io.mlops.core.Problem> unreadable) throws IOException {
        List<RegistryEvent> events = events();
        verify().stream().filter(p -> p.subject().equals("audit log")).forEach(unreadable::add);
        return events;
    }

    /**
     * The last readable event of the audit log: the registry links each new event to it in the
     * audit trail's hash chain. The default reads the whole log; stores override it with a read of
     * the end.
     *
     * @return the last event, or empty when there is none
     * @throws IOException when the store cannot be read
     * @since 0.1.0
     */
    default Optional<RegistryEvent> lastEvent() throws IOException {
        List<RegistryEvent> all = events();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Tells whether any version of any model references an artifact (may read every record).
     *
     * @param sha256 the artifact's digest
     * @return {@code true} when some version's {@link ModelVersion#sha256()} is it
     * @throws IOException when the store cannot be read
     */
    boolean isArtifactReferenced(String sha256) throws IOException;

    /**
     * The file-system store: one JSON file per version, an append-only index per model, one JSON
     * file per alias history, an audit log, and a lock file; see {@code FileSystemModelStore} for the
     * layout.
     *
     * @param root the store's folder, created when missing
     * @return the store
     */
    static ModelStore fileSystem(Path root) {
        return new FileSystemModelStore(root);
    }

    /**
     * The SQL store: PostgreSQL (shared by every process and machine that reaches the database) or
     * SQLite (one machine), with its tables created or migrated on open and recorded in the table
     * {@code mlops_schema_version}. Writers exclude each other with a transaction-scoped lock (an
     * advisory lock on PostgreSQL), so auto-numbering and alias moves are never lost or duplicated
     * across processes; a killed writer's transaction rolls back. On PostgreSQL, committed alias
     * moves are announced to {@link #watch watchers} within milliseconds.
     *
     * <p>Each call takes a connection from the data source and returns it: pass a pooled one (such
     * as HikariCP's) in production.
     *
     * @param dataSource connections to the database
     * @return the store
     * @throws io.mlops.core.StorageException when the database cannot be reached (naming where it was
     *     looked for) or holds a newer schema than this library knows
     */
    static ModelStore jdbc(javax.sql.DataSource dataSource) {
        return new io.mlops.registry.internal.JdbcModelStore(dataSource);
    }

    /**
     * @return a new, empty store in this JVM's heap, for tests
     */
    static ModelStore inMemory() {
        return new InMemoryModelStore();
    }
}
