package io.mlops.data.internal;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.core.MlopsException;
import io.mlops.core.NotFoundException;
import io.mlops.core.Schema;
import io.mlops.core.StorageException;
import io.mlops.core.Problem;
import io.mlops.core.ValidationException;
import io.mlops.core.io.CorruptFileException;
import io.mlops.core.io.IoSupplier;
import io.mlops.core.spi.BlobRef;
import io.mlops.core.spi.BlobStore;
import io.mlops.data.ColumnSummary;
import io.mlops.data.Commit;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetDiff;
import io.mlops.data.DatasetIds;
import io.mlops.data.DatasetInUseException;
import io.mlops.data.DatasetNotFoundException;
import io.mlops.data.DatasetVersion;
import io.mlops.data.spi.DatasetFormat;
import io.mlops.data.spi.DatasetStore;
import io.mlops.data.spi.StoredVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link DataVersioning} over a {@link DatasetStore} and a {@link BlobStore}.
 *
 * <p>A commit checks its parents, stores the bytes (outside the write lock), then records the
 * version under the lock after checking the parents again. Identical content under the same name
 * short-cuts to the existing version: for a dataset before anything is rendered (the canonical hash
 * is cheap), for a file after streaming it once (its bytes deduplicate in the blob store).
 */
public final class DefaultDataVersioning implements DataVersioning {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultDataVersioning.class);

    private final DatasetStore store;
    private final BlobStore blobs;
    private final DatasetFormat format;
    private final Clock clock;

    /**
     * @param store the record store
     * @param blobs the byte store
     * @param format how new dataset versions are rendered
     * @param clock the source of commit times
     */
    public DefaultDataVersioning(DatasetStore store, BlobStore blobs, DatasetFormat format, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.format = Objects.requireNonNull(format, "format");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ------------------------------------------------------------------ commits

    @Override
    public Commit commit(String name, Dataset dataset) {
        DatasetIds.requireValidName(name);
        Objects.requireNonNull(dataset, "dataset");
        return new DefaultCommit(name, dataset, null);
    }

    @Override
    public Commit commit(String name, Path file) {
        DatasetIds.requireValidName(name);
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file " + file + " does not exist or is not a regular file");
        }
        return new DefaultCommit(name, null, file);
    }

    private final class DefaultCommit implements Commit {
        private final String name;
        private final Dataset dataset;
        private final Path file;
        private String description = "";
        private final Set<String> parents = new LinkedHashSet<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private boolean saved;

        DefaultCommit(String name, Dataset dataset, Path file) {
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
            read(this::checkParents);
            long started = System.nanoTime();
            DatasetVersion v = dataset != null ? saveDataset() : saveFile();
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
                if (store.find(p).isEmpty()) {
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
                    bytes = blobs.write(out -> format.write(dataset, out));
                    schema = blobs.put(new ByteArrayInputStream(Records.schemaBytes(dataset.schema(), format.name(),
                            dataset.rowCount(), sha)));
                } catch (IOException e) {
                    throw new StorageException("Cannot store dataset '" + name + "': " + e.getMessage(), e);
                }
                DatasetVersion v = new DatasetVersion(id, name, sha, clock.instant(), description, List.copyOf(parents),
                        bytes.size(), OptionalLong.of(dataset.rowCount()), tags);
                return new StoredVersion(v, bytes.sha256(), schema.sha256(), format.name(), null);
            });
        }

        private DatasetVersion saveFile() {
            String[] known = new String[1];
            return storeAndRecord(() -> {
                BlobRef bytes;
                try (InputStream in = Files.newInputStream(file)) {
                    bytes = blobs.put(in);
                } catch (IOException e) {
                    throw new StorageException("Cannot store file " + file + " as '" + name + "': " + e.getMessage(), e);
                }
                if (known[0] != null && !known[0].equals(bytes.sha256())) {
                    throw new StorageException("File " + file + " changed while it was being committed as '" + name + "'");
                }
                known[0] = bytes.sha256();
                String id = DatasetIds.id(name, bytes.sha256());
                DatasetVersion v = new DatasetVersion(id, name, bytes.sha256(), clock.instant(), description,
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
                return store.writeLocked(() -> record(storeBytes.get()).orElseThrow(() -> new IllegalStateException(
                        "bytes stored under the lock are missing")));
            } catch (IOException e) {
                throw new StorageException("Cannot record version " + stored.version().id() + ": " + e.getMessage(), e);
            }
        }

        private Optional<DatasetVersion> existing(String id, String sha) {
            Optional<StoredVersion> found = read(() -> store.find(id));
            if (found.isPresent() && !found.get().version().sha256().equals(sha)) {
                // two contents whose SHA-256 share 64 bits: never seen, but never silently merged
                throw new MlopsException("Version id collision: " + id + " exists with content " + found.get().version().sha256()
                        + ", new content is " + sha);
            }
            return found.map(StoredVersion::version);
        }

        /** @return the version, or empty when its bytes were collected meanwhile (store them again) */
        private Optional<DatasetVersion> record(StoredVersion stored) {
            DatasetVersion v = stored.version();
            try {
                return store.writeLocked(() -> {
                    Optional<StoredVersion> raced = store.find(v.id());
                    if (raced.isPresent()) {
                        return Optional.of(raced.get().version()); // committed meanwhile by someone else: same content
                    }
                    checkParents(); // a parent may have been deleted while the bytes were stored
                    if (!blobs.exists(stored.blobSha256())
                            || (stored.schemaSha256() != null && !blobs.exists(stored.schemaSha256()))) {
                        return Optional.empty();
                    }
                    store.put(stored);
                    return Optional.of(v);
                });
            } catch (IOException e) {
                throw new StorageException("Cannot record version " + v.id() + ": " + e.getMessage(), e);
            } catch (DatasetNotFoundException e) {
                collect(stored.blobSha256());
                if (stored.schemaSha256() != null) {
                    collect(stored.schemaSha256());
                }
                throw e;
            }
        }
    }

    private void collect(String sha256) {
        try {
            store.writeLocked(() -> {
                if (!store.isBlobReferenced(sha256)) {
                    blobs.delete(sha256);
                }
                return null;
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not remove unused blob {}: {}", sha256, e.toString());
        }
    }

    // ------------------------------------------------------------------ queries

    @Override
    public Optional<DatasetVersion> find(String id) {
        DatasetIds.requireValidId(id);
        return read(() -> store.find(id)).map(StoredVersion::version);
    }

    @Override
    public DatasetVersion get(String id) {
        return stored(id).version();
    }

    private StoredVersion stored(String id) {
        DatasetIds.requireValidId(id);
        return read(() -> store.find(id)).orElseThrow(() -> new DatasetNotFoundException("Dataset version '" + id + "' not found"));
    }

    @Override
    public Dataset load(String id) {
        StoredVersion s = stored(id);
        if (s.schemaSha256() != null) {
            Schema schema = read(() -> {
                try (InputStream in = blobs.open(s.schemaSha256())) {
                    return Records.schema(in.readAllBytes(), "schema of " + id);
                }
            });
            if (!s.format().equals(format.name()) && !s.format().equals("csv")) {
                throw new ValidationException("Dataset version '" + id + "' is stored as '" + s.format()
                        + "', a format this DataVersioning was not built with");
            }
            DatasetFormat reader = s.format().equals(format.name()) ? format : DatasetFormat.csv();
            return read(() -> {
                try (InputStream in = blobs.open(s.blobSha256())) {
                    Dataset d = reader.read(in, "dataset version " + id, schema);
                    in.transferTo(java.io.OutputStream.nullOutputStream()); // reach the end: verifies the digest
                    return d;
                }
            });
        }
        String fileName = s.fileName() == null ? "" : s.fileName();
        if (!fileName.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            throw new ValidationException("Dataset version '" + id + "' is a file (" + fileName
                    + "), not a CSV: read its bytes with open(id)");
        }
        return read(() -> {
            Path temp = Files.createTempFile("mlops-load-", ".csv");
            try {
                try (InputStream in = blobs.open(s.blobSha256())) {
                    Files.copy(in, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // verified while copied
                }
                return Dataset.readCsv(temp);
            } finally {
                Files.deleteIfExists(temp);
            }
        });
    }

    @Override
    public InputStream open(String id) {
        StoredVersion s = stored(id);
        try {
            return blobs.open(s.blobSha256());
        } catch (NotFoundException e) {
            throw new DatasetNotFoundException("The bytes of dataset version '" + id + "' (blob " + s.blobSha256()
                    + ") are missing from the blob store");
        } catch (IOException e) {
            throw new StorageException("Cannot open dataset version '" + id + "': " + e.getMessage(), e);
        }
    }

    @Override
    public List<DatasetVersion> versions(String name) {
        DatasetIds.requireValidName(name);
        return read(() -> {
            List<DatasetVersion> out = new ArrayList<>();
            for (String id : store.ids(name)) {
                try {
                    store.find(id).ifPresent(s -> out.add(s.version()));
                } catch (CorruptFileException e) {
                    LOG.warn("Skipping dataset version '{}' in the listing: {}", id, e.getMessage());
                }
            }
            return List.copyOf(out);
        });
    }

    @Override
    public List<String> names() {
        return read(store::names);
    }

    @Override
    public List<DatasetVersion> lineage(String id) {
        DatasetVersion start = get(id);
        return walk(start, v -> v.parents());
    }

    @Override
    public List<DatasetVersion> descendants(String id) {
        DatasetVersion start = get(id);
        List<DatasetVersion> all = walk(start, v -> read(() -> store.children(v.id())));
        return all.subList(1, all.size());
    }

    private interface Edges {
        List<String> next(DatasetVersion v);
    }

    /** Breadth-first from start, each version once; versions deleted meanwhile are skipped. */
    private List<DatasetVersion> walk(DatasetVersion start, Edges edges) {
        List<DatasetVersion> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<DatasetVersion> queue = new ArrayDeque<>();
        queue.add(start);
        seen.add(start.id());
        while (!queue.isEmpty()) {
            DatasetVersion v = queue.poll();
            out.add(v);
            for (String next : edges.next(v)) {
                if (seen.add(next)) {
                    try {
                        read(() -> store.find(next)).ifPresent(s -> queue.add(s.version()));
                    } catch (StorageException e) {
                        if (!(e.getCause() instanceof CorruptFileException)) {
                            throw e;
                        }
                        LOG.warn("Skipping dataset version '{}' in the walk from '{}': {}", next, start.id(),
                                e.getCause().getMessage());
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<Problem> verify() {
        List<Problem> problems = new ArrayList<>(read(store::verify));
        for (String name : names()) {
            for (DatasetVersion v : versions(name)) {
                StoredVersion s = stored(v.id());
                List<String> shas = new ArrayList<>();
                shas.add(s.blobSha256());
                if (s.schemaSha256() != null) {
                    shas.add(s.schemaSha256());
                }
                for (String sha : shas) {
                    String what = sha.equals(s.blobSha256()) ? "its bytes" : "its schema";
                    try (InputStream in = blobs.open(sha)) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (NotFoundException e) {
                        problems.add(new Problem("dataset version '" + v.id() + "'", "blob " + sha, what
                                + " are missing from " + blobs + "; commit the same content again to restore them"));
                    } catch (io.mlops.core.IntegrityException e) {
                        problems.add(new Problem("dataset version '" + v.id() + "'", "blob " + sha, what
                                + " are damaged (" + e.getMessage() + "); commit the same content again to repair them"));
                    } catch (IOException e) {
                        problems.add(new Problem("dataset version '" + v.id() + "'", "blob " + sha, what
                                + " cannot be read: " + e.getMessage()));
                    }
                }
            }
        }
        return List.copyOf(problems);
    }

    @Override
    public DatasetDiff compare(String idA, String idB) {
        return diff(idA, load(idA), idB, load(idB));
    }

    static DatasetDiff diff(String idA, Dataset a, String idB, Dataset b) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String c : b.columnNames()) {
            if (!a.hasColumn(c)) {
                added.add(c);
            }
        }
        List<DatasetDiff.TypeChange> typeChanges = new ArrayList<>();
        List<DatasetDiff.ColumnChange> changes = new ArrayList<>();
        for (String c : a.columnNames()) {
            if (!b.hasColumn(c)) {
                removed.add(c);
                continue;
            }
            kept.add(c);
            if (a.type(c) != b.type(c)) {
                typeChanges.add(new DatasetDiff.TypeChange(c, a.type(c), b.type(c)));
            }
            changes.add(columnChange(c, a, b));
        }
        return new DatasetDiff(idA, idB, a.rowCount(), b.rowCount(), added, removed, kept, typeChanges, changes);
    }

    private static DatasetDiff.ColumnChange columnChange(String column, Dataset a, Dataset b) {
        ColumnSummary before = ColumnSummary.of(a, column);
        ColumnSummary after = ColumnSummary.of(b, column);
        Map<String, Double> deltas = new LinkedHashMap<>();
        deltas.put("count", (double) (after.count() - before.count()));
        deltas.put("missing", (double) (after.missing() - before.missing()));
        delta(deltas, "mean", before.mean(), after.mean());
        delta(deltas, "std", before.std(), after.std());
        delta(deltas, "min", before.min(), after.min());
        delta(deltas, "q25", before.q25(), after.q25());
        delta(deltas, "median", before.median(), after.median());
        delta(deltas, "q75", before.q75(), after.q75());
        delta(deltas, "max", before.max(), after.max());
        if (before.categories() != null && after.categories() != null) {
            deltas.put("categories", (double) (after.categories() - before.categories()));
        }
        List<String> catsAdded = List.of();
        List<String> catsRemoved = List.of();
        if (a.type(column) == ColumnType.CATEGORICAL && b.type(column) == ColumnType.CATEGORICAL) {
            TreeSet<String> inA = new TreeSet<>(a.categories(column));
            TreeSet<String> inB = new TreeSet<>(b.categories(column));
            TreeSet<String> plus = new TreeSet<>(inB);
            plus.removeAll(inA);
            TreeSet<String> minus = new TreeSet<>(inA);
            minus.removeAll(inB);
            catsAdded = List.copyOf(plus);
            catsRemoved = List.copyOf(minus);
        }
        return new DatasetDiff.ColumnChange(column, before, after, catsAdded, catsRemoved, deltas);
    }

    private static void delta(Map<String, Double> deltas, String key, Double before, Double after) {
        if (before != null && after != null) {
            deltas.put(key, after - before);
        }
    }

    // ------------------------------------------------------------------ deletion

    @Override
    public void delete(String id) {
        DatasetIds.requireValidId(id);
        write(() -> {
            StoredVersion s;
            try {
                s = store.find(id).orElseThrow(() -> new DatasetNotFoundException("Dataset version '" + id + "' not found"));
            } catch (CorruptFileException damaged) {
                s = null; // a damaged record can still be deleted; its blobs are unknown and stay
                LOG.warn("Deleting damaged dataset version '{}': {}", id, damaged.getMessage());
            }
            List<String> children = store.children(id);
            if (!children.isEmpty()) {
                throw new DatasetInUseException("Dataset version '" + id + "' is a parent of " + children
                        + "; delete those first");
            }
            store.delete(id);
            if (s != null && !store.isBlobReferenced(s.blobSha256())) {
                blobs.delete(s.blobSha256());
            }
            if (s != null && s.schemaSha256() != null && !store.isBlobReferenced(s.schemaSha256())) {
                blobs.delete(s.schemaSha256());
            }
            return null;
        });
        LOG.debug("Deleted {}", id);
    }

    // ------------------------------------------------------------------ plumbing

    private <T> T read(IoSupplier<T> action) {
        return StorageException.wrap("Data versioning read", action);
    }

    private <T> T write(IoSupplier<T> action) {
        return StorageException.wrap("Data versioning write", () -> store.writeLocked(action));
    }

    @Override
    public String toString() {
        return "DataVersioning[" + store + ", " + blobs + "]";
    }
}
