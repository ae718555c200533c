package io.mlops.data.internal;

import io.mlops.core.Problem;
import io.mlops.core.StorageException;
import io.mlops.core.internal.io.AppendOnlyLog;
import io.mlops.core.internal.io.AtomicFiles;
import io.mlops.core.spi.CorruptFileException;
import io.mlops.core.spi.IoSupplier;
import io.mlops.core.internal.io.LockFile;
import io.mlops.data.DatasetIds;
import io.mlops.data.spi.DatasetStore;
import io.mlops.data.spi.StoredVersion;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The file-system {@link DatasetStore}.
 *
 * <pre>
 * root/data.lock               the write lock (an OS file lock)
 * root/versions/ID.json        one record per version, written atomically
 * root/index.log               "+ID PARENT,PARENT" / "-ID" lines, append-only: the lineage graph
 * </pre>
 *
 * <p>A version is visible once its {@code +ID} line is in the index (its record is written and
 * fsync'd before); a deletion appends {@code -ID} first, then removes the record. Readers follow the
 * index incrementally (one length check per read), so the whole graph is in memory and lineage
 * queries read no files; records are read once and cached. Thread-safe; safe for several processes
 * sharing one root.
 */
public final class FileSystemDatasetStore implements DatasetStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemDatasetStore.class);

    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final Path versionsDir;
    private final Path index;
    private final boolean readOnly;
    private final Path lockFile;
    private final Graph graph = new Graph(); // guarded by this
    private final Map<String, StoredVersion> records = new HashMap<>(); // guarded by this
    private long indexEnd; // guarded by this
    private final List<String> damagedLines = new ArrayList<>(); // guarded by this

    /**
     * Creates the file system dataset store.
     *
     * @param root the store's folder, created when missing
     * @throws StorageException when it cannot be created
     */
    public FileSystemDatasetStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.versionsDir = this.root.resolve("versions");
        this.index = this.root.resolve("index.log");
        this.lockFile = this.root.resolve("data.lock");
        this.readOnly = AtomicFiles.isReadOnlyDirectory(this.root);
        if (readOnly) {
            LOG.info("Opened the dataset store at {} read-only: its folder is not writable (a read-only volume?);"
                    + " writes will fail", this.root);
            return;
        }
        try {
            AtomicFiles.createDirectories(versionsDir);
            writeLocked(() -> {
                int removed = AtomicFiles.deleteAbandonedTempFiles(this.root);
                if (removed > 0) {
                    LOG.info("Removed {} temp file(s) left by interrupted writes in {}", removed, this.root);
                }
                return null;
            });
        } catch (IOException e) {
            throw new StorageException("Cannot open the dataset store at " + this.root + ": " + StorageException.describe(e), e);
        }
    }

    @Override
    public <T> T writeLocked(IoSupplier<T> action) throws IOException {
        if (readOnly) {
            throw new io.mlops.core.ReadOnlyException("The dataset store at " + root + " was opened read-only (its folder is"
                    + " not writable): it cannot be changed");
        }
        try (LockFile lock = LockFile.acquire(lockFile, LOCK_TIMEOUT)) {
            return action.get();
        }
    }

    @Override
    public synchronized Optional<StoredVersion> find(String id) throws IOException {
        refresh();
        if (!graph.contains(id)) {
            return Optional.empty();
        }
        StoredVersion v = records.get(id);
        if (v == null) {
            Path file = versionsDir.resolve(DatasetIds.requireValidId(id) + ".json");
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new CorruptFileException(file, "the index lists version '" + id + "' but its record is missing", e);
            }
            try {
                v = Records.version(bytes, file.toString());
            } catch (IOException | RuntimeException e) {
                throw new CorruptFileException(file, String.valueOf(e.getMessage())
                        .replace("Corrupt data-versioning record " + file + ": ", ""), e);
            }
            if (!v.version().id().equals(id)) {
                throw new CorruptFileException(file, "it holds version '" + v.version().id() + "'", null);
            }
            records.put(id, v);
        }
        return Optional.of(v);
    }

    @Override
    public synchronized List<String> ids(String name) throws IOException {
        refresh();
        return graph.ids(name);
    }

    @Override
    public synchronized List<String> names() throws IOException {
        refresh();
        return graph.names();
    }

    @Override
    public synchronized List<String> children(String id) throws IOException {
        refresh();
        return graph.children(id);
    }

    @Override
    public void put(StoredVersion version) throws IOException {
        String id = version.version().id();
        synchronized (this) {
            refresh();
            if (graph.contains(id)) {
                throw new IllegalStateException("version " + id + " exists already");
            }
        }
        AtomicFiles.write(versionsDir.resolve(DatasetIds.requireValidId(id) + ".json"), Records.versionBytes(version));
        List<String> parents = version.version().parents();
        AppendOnlyLog.append(index, "+" + id + (parents.isEmpty() ? "" : " " + String.join(",", parents)));
    }

    @Override
    public boolean delete(String id) throws IOException {
        synchronized (this) {
            refresh();
            if (!graph.contains(id)) {
                return false;
            }
        }
        AppendOnlyLog.append(index, "-" + id);
        Path file = versionsDir.resolve(DatasetIds.requireValidId(id) + ".json");
        if (Files.deleteIfExists(file)) {
            AtomicFiles.fsyncDirectory(versionsDir);
        }
        return true;
    }

    @Override
    public boolean isBlobReferenced(String sha256) throws IOException {
        List<String> ids;
        synchronized (this) {
            refresh();
            ids = graph.allIds();
        }
        for (String id : ids) {
            Optional<StoredVersion> v;
            try {
                v = find(id);
            } catch (CorruptFileException e) {
                // a damaged record might name this blob: keeping it is the safe answer
                LOG.warn("Keeping blob {}: {}", sha256, e.getMessage());
                return true;
            }
            if (v.isPresent() && v.get().references(sha256)) {
                return true;
            }
        }
        return false;
    }

    private void refresh() throws IOException {
        AppendOnlyLog.Lines lines = AppendOnlyLog.readFrom(index, indexEnd);
        if (lines.end() < indexEnd) {
            graph.clear();
            records.clear();
            damagedLines.clear();
            lines = AppendOnlyLog.readFrom(index, 0);
        }
        for (String line : lines.lines()) {
            if (!apply(line)) {
                String shown = line.length() > 80 ? line.substring(0, 80) + "\u2026" : line;
                damagedLines.add(shown);
                LOG.warn("Skipping an unreadable line of {}: '{}'", index, shown);
            }
        }
        indexEnd = lines.end();
    }

    /**
     * @return false when the line is not "+ID [PARENT,...]" or "-ID" with valid ids
     */
    private boolean apply(String line) {
        if (line.length() < 2) {
            return false;
        }
        if (line.charAt(0) == '+') {
            int space = line.indexOf(' ');
            String id = space < 0 ? line.substring(1) : line.substring(1, space);
            List<String> parents = space < 0 ? List.of() : Arrays.asList(line.substring(space + 1).split(","));
            if (!validId(id) || !parents.stream().allMatch(FileSystemDatasetStore::validId)) {
                return false;
            }
            graph.add(id, parents);
            return true;
        }
        if (line.charAt(0) == '-' && validId(line.substring(1))) {
            String id = line.substring(1);
            graph.remove(id);
            records.remove(id);
            return true;
        }
        return false;
    }

    private static boolean validId(String id) {
        try {
            DatasetIds.requireValidId(id);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public List<Problem> verify() throws IOException {
        List<String> ids;
        List<Problem> out = new ArrayList<>();
        synchronized (this) {
            refresh();
            ids = graph.allIds();
            for (String line : damagedLines) {
                out.add(new Problem("the lineage index", index.toString(), "skipped an unreadable line '" + line
                        + "'; harmless, the other lines are used"));
            }
        }
        for (String id : ids) {
            try {
                find(id);
            } catch (CorruptFileException e) {
                out.add(new Problem("dataset version '" + id + "'", e.file().toString(), e.getMessage()
                        + "; delete the version with delete(id), or commit the same content again"));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "FileSystemDatasetStore[" + root + "]";
    }
}
