package io.mlops.registry.internal;

import io.mlops.core.SemanticVersion;
import io.mlops.core.spi.IoSupplier;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.spi.ModelStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/** A {@link ModelStore} in the heap; thread-safe. */
public final class InMemoryModelStore implements ModelStore {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ConcurrentSkipListMap<SemanticVersion, ModelVersion>> versions = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentSkipListMap<String, List<AliasChange>>> aliases = new ConcurrentHashMap<>();
    private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> signatures = new ConcurrentHashMap<>(); // "model\u0000version"

    @Override
    public <T> T writeLocked(IoSupplier<T> action) throws IOException {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> models() {
        List<String> names = new ArrayList<>();
        versions.forEach((name, v) -> {
            if (!v.isEmpty()) {
                names.add(name);
            }
        });
        names.sort(null);
        return names;
    }

    @Override
    public List<SemanticVersion> versions(String model) {
        var v = versions.get(model);
        return v == null ? List.of() : List.copyOf(v.keySet());
    }

    @Override
    public Optional<ModelVersion> find(String model, SemanticVersion version) {
        var v = versions.get(model);
        return v == null ? Optional.empty() : Optional.ofNullable(v.get(version));
    }

    @Override
    public void put(ModelVersion version) {
        versions.computeIfAbsent(version.name(), k -> new ConcurrentSkipListMap<>())
                .put(version.semanticVersion(), version);
    }

    @Override
    public boolean delete(String model, SemanticVersion version) {
        var v = versions.get(model);
        signatures.remove(model + '\u0000' + version);
        return v != null && v.remove(version) != null;
    }

    private final Map<String, String> values = new ConcurrentHashMap<>();

    @Override
    public java.util.Optional<String> value(String key) {
        return java.util.Optional.ofNullable(values.get(key));
    }

    @Override
    public boolean compareAndSetValue(String key, String expected, String next) {
        return expected == null ? values.putIfAbsent(key, next) == null : values.replace(key, expected, next);
    }

    @Override
    public void appendSignature(String model, SemanticVersion version, String envelope) {
        signatures.computeIfAbsent(model + '\u0000' + version, k -> new CopyOnWriteArrayList<>()).add(envelope);
    }

    @Override
    public List<String> signatures(String model, SemanticVersion version) {
        return List.copyOf(signatures.getOrDefault(model + '\u0000' + version, List.of()));
    }

    @Override
    public List<AliasChange> aliasHistory(String model, String alias) {
        var a = aliases.get(model);
        List<AliasChange> h = a == null ? null : a.get(alias);
        return h == null ? List.of() : List.copyOf(h);
    }

    @Override
    public List<String> aliasNames(String model) {
        var a = aliases.get(model);
        return a == null ? List.of() : List.copyOf(a.keySet());
    }

    @Override
    public void appendAliasChange(AliasChange change) {
        aliases.computeIfAbsent(change.model(), k -> new ConcurrentSkipListMap<>())
                .computeIfAbsent(change.alias(), k -> new CopyOnWriteArrayList<>())
                .add(change);
    }

    @Override
    public void appendEvent(RegistryEvent event) {
        events.add(event);
    }

    @Override
    public java.util.Optional<RegistryEvent> lastEvent() {
        return events.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(events.get(events.size() - 1));
    }

    @Override
    public List<RegistryEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public boolean isArtifactReferenced(String sha256) {
        for (var v : versions.values()) {
            for (ModelVersion mv : v.values()) {
                if (mv.sha256().equals(sha256)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "InMemoryModelStore[" + versions.size() + " models]";
    }
}
