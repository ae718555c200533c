package io.mlops.data.internal;

import io.mlops.core.Dataset;
import io.mlops.core.NotFoundException;
import io.mlops.core.StorageException;
import io.mlops.core.Problem;
import io.mlops.core.ValidationException;
import io.mlops.core.spi.CorruptFileException;
import io.mlops.core.spi.IoSupplier;
import io.mlops.core.spi.BlobStore;
import io.mlops.data.Commit;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetDiff;
import io.mlops.data.DatasetIds;
import io.mlops.data.DatasetInUseException;
import io.mlops.data.DatasetNotFoundException;
import io.mlops.data.DatasetVersion;
import io.mlops.data.RowDiff;
import io.mlops.data.spi.DatasetFormat;
import io.mlops.data.spi.DatasetStore;
import io.mlops.data.spi.StoredVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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

    final DatasetStore store;
    final BlobStore blobs;
    final DatasetFormat format;
    final Clock clock;

    /**
     * Creates the default data versioning.
     *
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
        return new DefaultCommit(this, name, dataset, null);
    }

    @Override
    public Commit commit(String name, Path file) {
        DatasetIds.requireValidName(name);
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file) && !Files.isDirectory(file)) {
            throw new IllegalArgumentException("file " + file + " does not exist or is neither a file nor a folder");
        }
        return new DefaultCommit(this, name, null, file);
    }

    void collect(String sha256) {
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
        return read(() -> VersionLoader.load(this, s));
    }

    @Override
    public void checkout(String id, Path folder) {
        Objects.requireNonNull(folder, "folder");
        StoredVersion s = stored(id);
        if (!s.isFolder()) {
            throw new ValidationException("Dataset version '" + id + "' is not a folder version: use load(id) or open(id)");
        }
        read(() -> {
            FolderVersions.checkout(this, s, folder);
            return null;
        });
    }

    @Override
    public InputStream open(String id) {
        StoredVersion s = stored(id);
        if (s.isFolder()) {
            throw new ValidationException("Dataset version '" + id + "' is a folder of " + s.parts().size()
                    + " files: write them out with checkout(id, folder)");
        }
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
                findSkippingDamage(id, "the listing").ifPresent(out::add);
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
                    read(() -> findSkippingDamage(next, "the walk from '" + start.id() + "'")).ifPresent(queue::add);
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
                problems.addAll(BlobCheck.of(stored(v.id()), blobs));
            }
        }
        return List.copyOf(problems);
    }

    /** A version for a listing or a walk: a damaged record is skipped there with a warning. */
    private Optional<DatasetVersion> findSkippingDamage(String id, String where) throws IOException {
        try {
            return store.find(id).map(StoredVersion::version);
        } catch (CorruptFileException e) {
            LOG.warn("Skipping dataset version '{}' in {}: {}", id, where, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public DatasetDiff compare(String idA, String idB) {
        return VersionDiff.of(idA, load(idA), idB, load(idB));
    }

    @Override
    public RowDiff compareRows(String idA, String idB, String... keyColumns) {
        Objects.requireNonNull(keyColumns, "keyColumns");
        return compareRows(idA, idB, List.of(keyColumns), io.mlops.core.ProgressListener.NONE);
    }

    @Override
    public RowDiff compareRows(String idA, String idB, List<String> keyColumns, io.mlops.core.ProgressListener progress) {
        Objects.requireNonNull(progress, "progress");
        StoredVersion a = stored(idA);
        StoredVersion b = stored(idB);
        List<String> keys = List.copyOf(keyColumns);
        return read(() -> RowComparison.compare(this, a, b, keys, progress));
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
            if (s != null) {
                for (StoredVersion.Part p : s.parts()) {
                    if (!store.isBlobReferenced(p.sha256())) {
                        blobs.delete(p.sha256());
                    }
                }
            }
            return null;
        });
        LOG.debug("Deleted {}", id);
    }

    // ------------------------------------------------------------------ plumbing

    <T> T read(IoSupplier<T> action) {
        return StorageException.wrap("Data versioning read", action);
    }

    <T> T write(IoSupplier<T> action) {
        return StorageException.wrap("Data versioning write", () -> store.writeLocked(action));
    }

    @Override
    public String toString() {
        return "DataVersioning[" + store + ", " + blobs + "]";
    }
}
