package io.mlops.data.internal;

import io.mlops.core.Dataset;
import io.mlops.core.MlopsException;
import io.mlops.core.StorageException;
import io.mlops.core.spi.BlobRef;
import io.mlops.data.Commit;
import io.mlops.data.DatasetIds;
import io.mlops.data.DatasetNotFoundException;
import io.mlops.data.DatasetVersion;
import io.mlops.data.spi.StoredVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One commit of a dataset or a file: collects the description, parents and tags, then
 * {@link #save()} stores the bytes (outside the write lock) and records the version under it,
 * checking the parents again and that bytes shared with another version were not collected
 * meanwhile. Not thread-safe; one per {@code commit} call.
 */
final class DefaultCommit implements Commit {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultCommit.class);

    private final DefaultDataVersioning data;
    private final String name;
    private final Dataset dataset;
    private final Path file;
    private String description = "";
    private final Set<String> parents = new LinkedHashSet<>();
    private final Map<String, String> tags = new LinkedHashMap<>();
    private io.mlops.core.ProgressListener progress; // null: none
    private boolean saved;

    DefaultCommit(DefaultDataVersioning data, String name, Dataset dataset, Path file) {
        this.data = data;
        this.name = name;
        this.dataset = dataset;
        this.file = file;
    }

    @Override
    public Commit description(String description) {
        this.description = Objects.requireNonNull(description, "description");
        return this;
    }

    @Override
    public Commit parents(String... parentIds) {
        for (String p : Objects.requireNonNull(parentIds, "parentIds")) {
            parents.add(DatasetIds.requireValidId(p));
        }
        return this;
    }

    @Override
    public Commit progress(io.mlops.core.ProgressListener listener) {
        this.progress = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public Commit tag(String key, String value) {
        Objects.requireNonNull(key, "tag key");
        Objects.requireNonNull(value, "tag value");
        if (key.isEmpty() || key.length() > 256 || key.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("tag key must be 1 to 256 characters without control characters but was '"
                    + key + "'");
        }
        tags.put(key, value);
        return this;
    }

    @Override
    public DatasetVersion save() {
        if (saved) {
            throw new IllegalStateException("save() was already called for this commit of '" + name + "'");
        }
        saved = true;
        data.read(this::checkParents);
        long started = System.nanoTime();
        DatasetVersion v = dataset != null ? saveDataset() : Files.isDirectory(file) ? storeAndRecord(() -> FolderVersions.store(
                data, name, file, new FolderVersions.DatasetMeta(description, List.copyOf(parents), tags),
                progress == null ? io.mlops.core.ProgressListener.NONE : progress)) : saveFile();
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (millis >= 1000) {
            // long commits (large files, large datasets) say what they did and how fast
            LOG.info("Committed {} ({} MB) in {} ms ({} MB/s)", v.id(), v.sizeBytes() >> 20, millis,
                    (v.sizeBytes() >> 20) * 1000 / Math.max(1, millis));
        } else {
            LOG.debug("Committed {} ({} bytes) in {} ms", v.id(), v.sizeBytes(), millis);
        }
        return v;
    }

    private Void checkParents() throws IOException {
        for (String p : parents) {
            if (data.store.find(p).isEmpty()) {
                throw new DatasetNotFoundException("Cannot commit '" + name + "': parent version '" + p + "' does not exist");
            }
        }
        return null;
    }

    private DatasetVersion saveDataset() {
        String sha = dataset.contentHash();
        String id = DatasetIds.id(name, sha);
        Optional<DatasetVersion> existing = existing(id, sha);
        if (existing.isPresent()) {
            return existing.get();
        }
        return storeAndRecord(() -> {
            BlobRef bytes;
            BlobRef schema;
            try {
                bytes = data.blobs.write(out -> data.format.write(dataset, out));
                schema = data.blobs.put(new ByteArrayInputStream(Records.schemaBytes(dataset.schema(), data.format.name(),
                        dataset.rowCount(), sha)));
            } catch (IOException e) {
                throw new StorageException("Cannot store dataset '" + name + "': " + e.getMessage(), e);
            }
            DatasetVersion v = new DatasetVersion(id, name, sha, data.clock.instant(), description, List.copyOf(parents),
                    bytes.size(), OptionalLong.of(dataset.rowCount()), tags);
            return new StoredVersion(v, bytes.sha256(), schema.sha256(), data.format.name(), null);
        });
    }

    private DatasetVersion saveFile() {
        String[] known = new String[1];
        return storeAndRecord(() -> {
            BlobRef bytes;
            try (InputStream in = progress == null ? Files.newInputStream(file)
                    : new io.mlops.core.internal.io.ProgressInputStream(Files.newInputStream(file), Files.size(file), progress)) {
                bytes = data.blobs.put(in);
            } catch (IOException e) {
                throw new StorageException("Cannot store file " + file + " as '" + name + "': " + e.getMessage(), e);
            }
            if (known[0] != null && !known[0].equals(bytes.sha256())) {
                throw new StorageException("File " + file + " changed while it was being committed as '" + name + "'");
            }
            known[0] = bytes.sha256();
            String id = DatasetIds.id(name, bytes.sha256());
            DatasetVersion v = new DatasetVersion(id, name, bytes.sha256(), data.clock.instant(), description,
                    List.copyOf(parents), bytes.size(), OptionalLong.empty(), tags);
            return new StoredVersion(v, bytes.sha256(), null, StoredVersion.FILE, file.getFileName().toString());
        });
    }

    /**
     * Stores the bytes, then records the version under the lock. Identical content is stored once,
     * so the bytes may be those of another version; if that version was deleted (and its blobs
     * collected) between our store and our lock, the bytes are gone: then they are stored again
     * while holding the lock, which every delete takes before it collects, so the second try
     * cannot lose them.
     */
    private DatasetVersion storeAndRecord(java.util.function.Supplier<StoredVersion> storeBytes) {
        StoredVersion stored = storeBytes.get();
        Optional<DatasetVersion> existing = existing(stored.version().id(), stored.version().sha256());
        if (existing.isPresent()) {
            return existing.get();
        }
        Optional<DatasetVersion> recorded = record(stored);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        LOG.info("The bytes of {} were collected by a concurrent delete; storing them again under the lock",
                stored.version().id());
        try {
            return data.store.writeLocked(() -> record(storeBytes.get()).orElseThrow(() -> new StorageException(
                    "The bytes of '" + name + "' stored under the lock are missing from " + data.blobs)));
        } catch (IOException e) {
            throw new StorageException("Cannot record version " + stored.version().id() + ": " + e.getMessage(), e);
        }
    }

    private Optional<DatasetVersion> existing(String id, String sha) {
        Optional<StoredVersion> found = data.read(() -> data.store.find(id));
        if (found.isPresent() && !found.get().version().sha256().equals(sha)) {
            // two contents whose SHA-256 share 64 bits: never seen, but never silently merged
            throw new MlopsException("Version id collision: " + id + " exists with content " + found.get().version().sha256()
                    + ", new content is " + sha);
        }
        return found.map(StoredVersion::version);
    }

    /**
     * @return the version, or empty when its bytes were collected meanwhile (store them again)
     */
    private Optional<DatasetVersion> record(StoredVersion stored) {
        DatasetVersion v = stored.version();
        try {
            return data.store.writeLocked(() -> {
                Optional<StoredVersion> raced = data.store.find(v.id());
                if (raced.isPresent()) {
                    return Optional.of(raced.get().version()); // committed meanwhile by someone else: same content
                }
                checkParents(); // a parent may have been deleted while the bytes were stored
                if (!data.blobs.exists(stored.blobSha256())
                        || (stored.schemaSha256() != null && !data.blobs.exists(stored.schemaSha256()))) {
                    return Optional.empty();
                }
                data.store.put(stored);
                return Optional.of(v);
            });
        } catch (IOException e) {
            throw new StorageException("Cannot record version " + v.id() + ": " + e.getMessage(), e);
        } catch (DatasetNotFoundException e) {
            data.collect(stored.blobSha256());
            if (stored.schemaSha256() != null) {
                data.collect(stored.schemaSha256());
            }
            throw e;
        }
    }
}
