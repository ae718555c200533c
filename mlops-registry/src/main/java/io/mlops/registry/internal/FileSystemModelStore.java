package io.mlops.registry.internal;

import io.mlops.core.Names;
import io.mlops.core.Problem;
import io.mlops.core.SemanticVersion;
import io.mlops.core.StorageException;
import io.mlops.core.internal.io.AppendOnlyLog;
import io.mlops.core.internal.io.AtomicFiles;
import io.mlops.core.spi.CorruptFileException;
import io.mlops.core.spi.IoSupplier;
import io.mlops.core.internal.io.LockFile;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.spi.ModelStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The file-system {@link ModelStore}.
 *
 * <pre>
 * root/registry.lock                          the write lock (an OS file lock)
 * root/audit.jsonl                            the audit log, one JSON event per line, append-only;
 *                                             a registration's event carries its version record
 * root/checkpoint                             an audit offset before which every effect is durable
 * root/models/NAME/index.log                  "+VERSION @OFFSET" / "-VERSION @OFFSET" lines, append-only
 * root/models/NAME/aliases/ALIAS.json         one alias's history, rewritten atomically per move
 * root/models/NAME/signatures/VERSION.jsonl   the version's signatures (DSSE envelopes), append-only
 * root/values/KEY                             small shared values (webhook positions), rewritten atomically
 * root/models/NAME/versions/VERSION.json      records of stores written before 0.2 (lines without @OFFSET)
 * </pre>
 *
 * <p><b>Commit points.</b> Every write ends in its audit event, and the event's line in
 * {@code audit.jsonl}, fsync'd, is the commit point ({@link AuditedEffects}). A registration's
 * event carries the version record, so a registration costs two fsyncs in all: its artifact's
 * bytes, then this line. The index line that makes the version visible names the event's offset
 * and is appended after it without an fsync; when a crash loses it, the next writer (or the next
 * store opened on the root, after a power loss) appends it again from the event. So the audit log
 * lists exactly the changes that took effect. No file whose size grows with the number of
 * versions is ever rewritten.
 *
 * <p><b>Damage stays local</b> ({@link ModelIndex}): an unreadable index line is skipped, an
 * unreadable record fails only that version, and {@link #verify()} lists both.
 *
 * <p><b>Reads</b> follow each model's index incrementally: a read checks the index's length (one
 * small system call), applies only lines appended since the last read, by any process, and keeps
 * parsed records in memory. Listing {@code N} versions therefore reads {@code N} records once
 * per store instance, and {@code latest} costs microseconds at any size.
 *
 * <p>Thread-safe; safe for several processes sharing one root.
 */
public final class FileSystemModelStore implements ModelStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemModelStore.class);

    /** How long a writer waits for another process's write lock by default. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final Path models;
    private final Path lockFile;
    private final Path audit;
    private final Duration lockTimeout;
    private final ConcurrentHashMap<String, ModelIndex> states = new ConcurrentHashMap<>();
    private final AuditedEffects effects;
    private final boolean readOnly;

    /**
     * Creates the file system model store.
     *
     * @param root the store's folder, created when missing
     * @throws StorageException when it cannot be created
     */
    public FileSystemModelStore(Path root) {
        this(root, DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * Creates the file system model store.
     *
     * @param root the store's folder, created when missing
     * @param lockTimeout how long a writer waits for the write lock
     * @throws StorageException when it cannot be created
     */
    public FileSystemModelStore(Path root, Duration lockTimeout) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.models = this.root.resolve("models");
        this.lockFile = this.root.resolve("registry.lock");
        this.audit = this.root.resolve("audit.jsonl");
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
        this.effects = new AuditedEffects(this, audit);
        this.readOnly = AtomicFiles.isReadOnlyDirectory(this.root);
        if (readOnly) {
            // no lock, no recovery, no clean-up: they all write. Reads see what the index files hold.
            LOG.info("Opened the model store at {} read-only: its folder is not writable (a read-only volume?);"
                    + " writes will fail", this.root);
            return;
        }
        try {
            AtomicFiles.createDirectories(models);
            try (LockFile lock = LockFile.acquire(lockFile, lockTimeout)) {
                effects.open();
                int removed = AtomicFiles.deleteAbandonedTempFiles(this.root);
                if (removed > 0) {
                    LOG.info("Removed {} temp file(s) left by interrupted writes in {}", removed, this.root);
                }
            }
        } catch (IOException e) {
            throw new StorageException("Cannot open the model store at " + this.root + ": " + StorageException.describe(e), e);
        }
    }

    /**
     * Runs a write under the lock. First completes the last audited write if a writer died before
     * finishing it (see {@link AuditedEffects}); a write's effects that were not followed by their
     * event (because the action failed) are dropped.
     */
    @Override
    public <T> T writeLocked(IoSupplier<T> action) throws IOException {
        if (readOnly) {
            throw new io.mlops.core.ReadOnlyException("The model store at " + root + " was opened read-only (its folder is"
                    + " not writable): it cannot be changed");
        }
        try (LockFile lock = LockFile.acquire(lockFile, lockTimeout)) {
            effects.completeSince();
            effects.enter();
            try {
                T result = action.get();
                effects.applyPending();
                return result;
            } finally {
                effects.exit(); // effects whose event never came are dropped: the write failed before its commit
            }
        }
    }

    @Override
    public List<String> models() throws IOException {
        List<String> names = new ArrayList<>();
        if (readOnly && !Files.isDirectory(models)) {
            return names; // a read-only store that was never written
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(models)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!Names.isValid(name)) {
                    continue;
                }
                try {
                    if (!state(name).versions().isEmpty()) {
                        names.add(name);
                    }
                } catch (IOException e) {
                    // listed, so that the damage shows up where the model is used, and only there
                    LOG.warn("Cannot read the index of model '{}': {}", name, e.toString());
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    @Override
    public List<SemanticVersion> versions(String model) throws IOException {
        return state(model).versions();
    }

    @Override
    public Optional<ModelVersion> find(String model, SemanticVersion version) throws IOException {
        return state(model).find(version);
    }

    /**
     * Stores a version. Inside a write section the record travels in the registration's audit event
     * (the commit record) and the index line follows it; a put without an event writes a record
     * file and its index line durably.
     */
    @Override
    public void put(ModelVersion version) throws IOException {
        modelDir(version.name());
        effects.stage(version);
        effects.defer(offset -> {
            if (offset < 0) {
                AtomicFiles.write(IndexFiles.recordFile(modelDir(version.name()), version.version()),
                        RecordJson.versionBytes(version));
            }
            IndexFiles.add(modelDir(version.name()), version.version(), offset);
        });
    }

    @Override
    public boolean delete(String model, SemanticVersion v) throws IOException {
        if (!state(model).contains(v)) {
            return false;
        }
        effects.defer(offset -> {
            IndexFiles.remove(modelDir(model), v.toString(), offset);
            SignatureFiles.delete(modelDir(model), v.toString());
        });
        return true;
    }

    @Override
    public Optional<String> value(String key) throws IOException {
        checkKey(key);
        try {
            return Optional.of(Files.readString(root.resolve("values").resolve(key)));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static void checkKey(String key) {
        if (key == null || !key.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,199}")) {
            throw new IllegalArgumentException("a value's key is 1 to 200 of [A-Za-z0-9._-], not starting with . or -");
        }
    }

    /** Under the write lock (the registry calls it inside writeLocked): read, compare, write atomically. */
    @Override
    public boolean compareAndSetValue(String key, String expected, String next) throws IOException {
        checkKey(key);
        if (!java.util.Objects.equals(value(key).orElse(null), expected)) {
            return false;
        }
        Files.createDirectories(root.resolve("values"));
        AtomicFiles.write(root.resolve("values").resolve(key), next.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return true;
    }

    @Override
    public void appendSignature(String model, SemanticVersion version, String envelope) throws IOException {
        effects.stageSignature(envelope);
        effects.defer(offset -> {
            boolean committed = offset >= 0; // after its event's fsync'd line: recovered from it, synced at the checkpoint
            Path f = SignatureFiles.append(modelDir(model), version.toString(), envelope, !committed);
            if (committed) {
                effects.syncAtCheckpoint(f);
            }
        });
    }

    @Override
    public List<String> signatures(String model, SemanticVersion version) throws IOException {
        return SignatureFiles.read(modelDir(model), version.toString());
    }

    /**
     * @return the audit offset of the last change in a model's index, or -1
     */
    long lastIndexedOffset(String model) throws IOException {
        return state(model).lastOffset();
    }

    /**
     * Returns the audit log, whose fsync commits a registration (and the name of its blob).
     *
     * @return the audit log
     */
    @Override
    public Optional<Path> commitFile() {
        return Optional.of(audit);
    }

    @Override
    public List<Problem> verify() throws IOException {
        List<Problem> out = new ArrayList<>();
        for (String model : models()) {
            out.addAll(state(model).problems());
            for (String alias : AliasFiles.names(modelDir(model))) {
                try {
                    AliasFiles.history(modelDir(model), alias);
                } catch (CorruptFileException damaged) {
                    List<AliasChange> recorded = historyFromAudit(model, alias);
                    String last = recorded.isEmpty() ? "nowhere" : String.valueOf(recorded.get(recorded.size() - 1).to());
                    out.add(new Problem(model + " alias " + alias, damaged.file().toString(), "the alias's history is damaged"
                            + " and its reads fail; moving the alias (setAlias, rollback or removeAlias) rewrites it from the"
                            + " audit log, whose last move of it is to " + last));
                }
            }
        }
        AuditLines.read(audit, new ArrayList<>(), out);
        return out;
    }

    @Override
    public List<AliasChange> aliasHistory(String model, String alias) throws IOException {
        try {
            return AliasFiles.history(modelDir(model), alias);
        } catch (CorruptFileException damaged) {
            if (!effects.inWriteSection()) {
                throw damaged; // reads of this alias fail; everything else works
            }
            // a write decides from the audit log's history, and a move rewrites the file from it
            LOG.warn("{}; using the history the audit log records", damaged.getMessage());
            return historyFromAudit(model, alias);
        }
    }

    /** An alias's moves as the audit log records them, oldest first. */
    List<AliasChange> historyFromAudit(String model, String alias) throws IOException {
        List<AliasChange> out = new ArrayList<>();
        for (RegistryEvent e : events()) {
            if (e.model().equals(model) && alias.equals(e.alias()) && (e.type() == RegistryEvent.Type.ALIAS_MOVED
                    || e.type() == RegistryEvent.Type.ALIAS_ROLLED_BACK || e.type() == RegistryEvent.Type.ALIAS_REMOVED)) {
                out.add(new AliasChange(e.model(), e.alias(), e.previousVersion(), e.version(), e.at(), e.actor(), e.reason()));
            }
        }
        return out;
    }

    @Override
    public List<String> aliasNames(String model) throws IOException {
        return AliasFiles.names(modelDir(model));
    }

    @Override
    public void appendAliasChange(AliasChange change) throws IOException {
        effects.defer(offset -> writeAliasChange(change));
    }

    /** Rewrites an alias's history with one more change. */
    void writeAliasChange(AliasChange change) throws IOException {
        AliasFiles.append(modelDir(change.model()), change, () -> historyFromAudit(change.model(), change.alias()));
    }

    @Override
    public void appendEvent(RegistryEvent event) throws IOException {
        effects.commit(event);
    }

    /** The last line's event, read from the end; when it is damaged, the last readable one. */
    @Override
    public java.util.Optional<RegistryEvent> lastEvent() throws IOException {
        java.util.Optional<String> last = AppendOnlyLog.lastLine(audit);
        if (last.isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(RecordJson.event(last.get(), audit.toString()));
        } catch (IOException | RuntimeException damaged) {
            return ModelStore.super.lastEvent();
        }
    }

    @Override
    public List<RegistryEvent> events(List<Problem> unreadable) throws IOException {
        List<RegistryEvent> events = new ArrayList<>();
        AuditLines.read(audit, events, unreadable);
        return events;
    }

    /** Lists the events; a damaged line is skipped (with a warning) and reported by {@link #verify()}. */
    @Override
    public List<RegistryEvent> events() throws IOException {
        List<RegistryEvent> events = new ArrayList<>();
        AuditLines.read(audit, events, null);
        return events;
    }

    @Override
    public boolean isArtifactReferenced(String sha256) throws IOException {
        for (String model : models()) {
            ModelIndex s = state(model);
            List<SemanticVersion> versions;
            try {
                versions = s.versions();
            } catch (IOException e) {
                LOG.warn("Keeping artifact {}: the index of model '{}' cannot be read: {}", sha256, model, e.toString());
                return true;
            }
            for (SemanticVersion v : versions) {
                Optional<ModelVersion> mv;
                try {
                    mv = s.find(v);
                } catch (CorruptFileException e) {
                    // a damaged record might name this artifact: keeping it is the safe answer
                    LOG.warn("Keeping artifact {}: {}", sha256, e.getMessage());
                    return true;
                }
                if (mv.isPresent() && mv.get().sha256().equals(sha256)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A model's folder, its name validated. */
    Path modelDir(String model) {
        return models.resolve(Names.validate("model name", model));
    }

    private ModelIndex state(String model) {
        return states.computeIfAbsent(Names.validate("model name", model), m -> new ModelIndex(m, models.resolve(m), audit));
    }

    @Override
    public String toString() {
        return "FileSystemModelStore[" + root + "]";
    }
}
