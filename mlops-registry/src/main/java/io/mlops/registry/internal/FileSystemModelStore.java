package io.mlops.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mlops.core.Names;
import io.mlops.core.SemanticVersion;
import io.mlops.core.StorageException;
import io.mlops.core.io.AppendOnlyLog;
import io.mlops.core.io.AtomicFiles;
import io.mlops.core.io.IoSupplier;
import io.mlops.core.io.LockFile;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.spi.ModelStore;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The file-system {@link ModelStore}.
 *
 * <pre>
 * root/registry.lock                          the write lock (an OS file lock)
 * root/audit.jsonl                            the audit log, one JSON event per line, append-only
 * root/models/NAME/versions/VERSION.json      one small record per version, written atomically
 * root/models/NAME/index.log                  "+VERSION" / "-VERSION" lines, append-only
 * root/models/NAME/aliases/ALIAS.json         one alias's history, rewritten atomically per move
 * </pre>
 *
 * <p><b>Commit points.</b> A version is visible once its {@code +VERSION} line is in the index: its
 * record file is written (and fsync'd) before, so a crash in between leaves an invisible file that
 * the next registration of that version overwrites. A deletion appends {@code -VERSION} first, then
 * removes the file. No file whose size grows with the number of versions is ever rewritten.
 *
 * <p><b>Reads</b> follow each model's index incrementally: a read checks the index's length (one
 * small system call), applies only lines appended since the last read, by any process, and keeps
 * parsed records in memory. Listing {@code N} versions therefore reads {@code N} record files once
 * per store instance, and {@code latest} costs microseconds at any size.
 *
 * <p>Thread-safe; safe for several processes sharing one root.
 */
public final class FileSystemModelStore implements ModelStore {

    /** How long a writer waits for another process's write lock by default. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final Path models;
    private final Path lockFile;
    private final Path audit;
    private final Duration lockTimeout;
    private final ConcurrentHashMap<String, ModelState> states = new ConcurrentHashMap<>();

    /**
     * @param root the store's folder, created when missing
     * @throws StorageException when it cannot be created
     */
    public FileSystemModelStore(Path root) {
        this(root, DEFAULT_LOCK_TIMEOUT);
    }

    /**
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
        try {
            AtomicFiles.createDirectories(models);
        } catch (IOException e) {
            throw new StorageException("Cannot open model store at " + this.root + ": " + e, e);
        }
    }

    @Override
    public <T> T writeLocked(IoSupplier<T> action) throws IOException {
        try (LockFile lock = LockFile.acquire(lockFile, lockTimeout)) {
            return action.get();
        }
    }

    @Override
    public List<String> models() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(models)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (Names.isValid(name) && !state(name).versions().isEmpty()) {
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
    public Optional<ModelVersion> find(String model, String version) throws IOException {
        return state(model).find(SemanticVersion.parse(version));
    }

    @Override
    public void put(ModelVersion version) throws IOException {
        Path dir = modelDir(version.name());
        AtomicFiles.write(dir.resolve("versions").resolve(version.version() + ".json"), RecordJson.versionBytes(version));
        AppendOnlyLog.append(dir.resolve("index.log"), "+" + version.version());
    }

    @Override
    public boolean delete(String model, String version) throws IOException {
        SemanticVersion v = SemanticVersion.parse(version);
        if (!state(model).contains(v)) {
            return false;
        }
        Path dir = modelDir(model);
        AppendOnlyLog.append(dir.resolve("index.log"), "-" + v);
        Path record = dir.resolve("versions").resolve(v + ".json");
        if (Files.deleteIfExists(record)) {
            AtomicFiles.fsyncDirectory(record.getParent());
        }
        return true;
    }

    @Override
    public List<AliasChange> aliasHistory(String model, String alias) throws IOException {
        Path file = modelDir(model).resolve("aliases").resolve(Names.validate("alias", alias) + ".json");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        JsonNode array = RecordJson.parse(bytes, file.toString());
        List<AliasChange> changes = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            changes.add(RecordJson.aliasChange(n, file.toString()));
        }
        return changes;
    }

    @Override
    public List<String> aliasNames(String model) throws IOException {
        Path dir = modelDir(model).resolve("aliases");
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                names.add(n.substring(0, n.length() - ".json".length()));
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        names.removeIf(n -> !Names.isValid(n));
        names.sort(null);
        return names;
    }

    @Override
    public void appendAliasChange(AliasChange change) throws IOException {
        List<AliasChange> history = new ArrayList<>(aliasHistory(change.model(), change.alias()));
        history.add(change);
        ArrayNode array = RecordJson.MAPPER.createArrayNode();
        for (AliasChange c : history) {
            array.add(RecordJson.aliasChange(c));
        }
        Path file = modelDir(change.model()).resolve("aliases").resolve(change.alias() + ".json");
        AtomicFiles.write(file, RecordJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(array));
    }

    @Override
    public void appendEvent(RegistryEvent event) throws IOException {
        AppendOnlyLog.append(audit, RecordJson.eventLine(event));
    }

    @Override
    public List<RegistryEvent> events() throws IOException {
        List<RegistryEvent> events = new ArrayList<>();
        for (String line : AppendOnlyLog.read(audit).lines()) {
            events.add(RecordJson.event(line, audit.toString()));
        }
        return events;
    }

    @Override
    public boolean isArtifactReferenced(String sha256) throws IOException {
        for (String model : models()) {
            ModelState s = state(model);
            for (SemanticVersion v : s.versions()) {
                Optional<ModelVersion> mv = s.find(v);
                if (mv.isPresent() && mv.get().sha256().equals(sha256)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Path modelDir(String model) {
        return models.resolve(Names.validate("model name", model));
    }

    private ModelState state(String model) {
        return states.computeIfAbsent(Names.validate("model name", model), m -> new ModelState(models.resolve(m)));
    }

    @Override
    public String toString() {
        return "FileSystemModelStore[" + root + "]";
    }

    /** One model's index, followed incrementally, and its records, read once. */
    private static final class ModelState {
        private final Path dir;
        private final Path index;
        private long indexEnd;
        private final TreeSet<SemanticVersion> live = new TreeSet<>();
        private final Map<SemanticVersion, ModelVersion> records = new HashMap<>();

        ModelState(Path dir) {
            this.dir = dir;
            this.index = dir.resolve("index.log");
        }

        synchronized List<SemanticVersion> versions() throws IOException {
            refresh();
            return List.copyOf(live);
        }

        synchronized boolean contains(SemanticVersion v) throws IOException {
            refresh();
            return live.contains(v);
        }

        synchronized Optional<ModelVersion> find(SemanticVersion v) throws IOException {
            refresh();
            if (!live.contains(v)) {
                return Optional.empty();
            }
            ModelVersion record = records.get(v);
            if (record == null) {
                Path file = dir.resolve("versions").resolve(v + ".json");
                record = RecordJson.version(Files.readAllBytes(file), file.toString());
                records.put(v, record);
            }
            return Optional.of(record);
        }

        private void refresh() throws IOException {
            AppendOnlyLog.Lines lines = AppendOnlyLog.readFrom(index, indexEnd);
            if (lines.end() < indexEnd) {
                // the index was replaced or cut below what we had read: start over
                live.clear();
                records.clear();
                indexEnd = 0;
                lines = AppendOnlyLog.readFrom(index, 0);
            }
            for (String line : lines.lines()) {
                if (line.length() < 2) {
                    continue;
                }
                SemanticVersion v = SemanticVersion.parse(line.substring(1));
                records.remove(v); // added again means overwritten: re-read the record
                if (line.charAt(0) == '+') {
                    live.add(v);
                } else if (line.charAt(0) == '-') {
                    live.remove(v);
                }
            }
            indexEnd = lines.end();
        }
    }
}
