package io.mlops.data.internal;

import io.mlops.core.spi.IoSupplier;
import io.mlops.data.spi.DatasetStore;
import io.mlops.data.spi.StoredVersion;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/** A {@link DatasetStore} in the heap; thread-safe. */
public final class InMemoryDatasetStore implements DatasetStore {

    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, StoredVersion> versions = new HashMap<>(); // guarded by this
    private final Graph graph = new Graph(); // guarded by this

    @Override
    public <T> T writeLocked(IoSupplier<T> action) throws IOException {
        writeLock.lock();
        try {
            return action.get();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public synchronized Optional<StoredVersion> find(String id) {
        return Optional.ofNullable(versions.get(id));
    }

    @Override
    public synchronized List<String> ids(String name) {
        return graph.ids(name);
    }

    @Override
    public synchronized List<String> names() {
        return graph.names();
    }

    @Override
    public synchronized List<String> children(String id) {
        return graph.children(id);
    }

    @Override
    public synchronized void put(StoredVersion version) {
        String id = version.version().id();
        if (versions.putIfAbsent(id, version) != null) {
            throw new IllegalStateException("version " + id + " exists already");
        }
        graph.add(id, version.version().parents());
    }

    @Override
    public synchronized boolean delete(String id) {
        if (versions.remove(id) == null) {
            return false;
        }
        graph.remove(id);
        return true;
    }

    @Override
    public synchronized boolean isBlobReferenced(String sha256) {
        return versions.values().stream().anyMatch(v -> v.references(sha256));
    }
}
