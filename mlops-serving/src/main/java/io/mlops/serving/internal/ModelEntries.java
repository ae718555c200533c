package io.mlops.serving.internal;

import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.serving.ModelServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The models of a many-model server: each loaded on its first request (or when asked) as an
 * embedded per-model server, on a loader thread so that no other model's requests wait; resident
 * under a memory budget (a model counts its artifact's size), least-recently-used unpinned models
 * unloaded to make room, never one with requests in flight. A model that fails to load answers 503
 * with the reason, and is tried again after {@value #RETRY_MILLIS} ms or when loaded by hand.
 *
 * <p>Thread-safe: the bookkeeping under this object's lock, loading and closing outside it.
 */
final class ModelEntries implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelEntries.class);
    static final long RETRY_MILLIS = 30_000;

    /** One model's state. */
    static final class Entry {
        final String name;
        final boolean pinned;
        CompletableFuture<ModelServer> loading; // guarded by ModelEntries.this
        ModelServer server; // guarded by ModelEntries.this
        long bytes; // reserved while loading or loaded, guarded
        long lastUsed; // guarded
        String failure; // guarded
        long failedAt; // guarded
        final AtomicInteger inFlight = new AtomicInteger();

        Entry(String name, boolean pinned) {
            this.name = name;
            this.pinned = pinned;
        }
    }

    /** Why a model cannot answer now: the 503 (or 404) it gets. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Unavailable(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final ModelRegistry registry;
    private final String alias;
    private final Set<String> names; // null: every model of the registry
    private final Set<String> pinned;
    private final long budget;
    private final Function<String, ModelServer> factory;
    private final ExecutorService loaders;
    private final Map<String, Entry> entries = new LinkedHashMap<>(); // guarded by this
    private long resident; // guarded by this
    private long clock; // guarded by this: a use counter for the LRU order
    private boolean closed; // guarded by this

    ModelEntries(ModelRegistry registry, String alias, Set<String> names, Set<String> pinned, long budget,
                 Function<String, ModelServer> factory, ExecutorService loaders) {
        this.registry = registry;
        this.alias = alias;
        this.names = names;
        this.pinned = pinned;
        this.budget = budget;
        this.factory = factory;
        this.loaders = loaders;
    }

    /** The names served: the named set, or the registry's models now. */
    List<String> names() {
        return names != null ? List.copyOf(names) : registry.models();
    }

    private synchronized Entry entry(String name) throws Unavailable {
        if (closed) {
            throw new Unavailable(503, "the server is stopping");
        }
        Entry e = entries.get(name);
        if (e == null) {
            if (names != null ? !names.contains(name) : !registry.models().contains(name)) {
                throw new Unavailable(404, "no model '" + name + "' here");
            }
            e = new Entry(name, pinned.contains(name));
            entries.put(name, e);
        }
        return e;
    }

    /**
     * The model's server for one request, loading it if needed (waiting up to the timeout); the
     * caller must {@link #release} it.
     */
    ModelServer acquire(String name, long timeoutMillis) throws Unavailable {
        Entry e = entry(name);
        CompletableFuture<ModelServer> f = load(e, false);
        try {
            ModelServer s = f.get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            synchronized (this) {
                if (e.server != s) {
                    throw new Unavailable(503, "model '" + name + "' was unloaded; try again");
                }
                e.inFlight.incrementAndGet();
                e.lastUsed = ++clock;
            }
            return s;
        } catch (java.util.concurrent.TimeoutException t) {
            throw new Unavailable(503, "model '" + name + "' is still loading; try again");
        } catch (java.util.concurrent.ExecutionException failed) {
            throw new Unavailable(503, "model '" + name + "' cannot be served: " + failed.getCause().getMessage());
        } catch (InterruptedException i) {
            Thread.currentThread().interrupt();
            throw new Unavailable(503, "interrupted");
        }
    }

    void release(String name) {
        Entry e;
        synchronized (this) {
            e = entries.get(name);
        }
        if (e != null) {
            e.inFlight.decrementAndGet();
        }
    }

    /** Loads a model now (the repository extension's load); a failure again clears first. */
    void loadNow(String name) throws Unavailable {
        Entry e = entry(name);
        try {
            load(e, true).get();
        } catch (java.util.concurrent.ExecutionException failed) {
            throw new Unavailable(503, "model '" + name + "' cannot be served: " + failed.getCause().getMessage());
        } catch (InterruptedException i) {
            Thread.currentThread().interrupt();
            throw new Unavailable(503, "interrupted");
        }
    }

    /** The load in progress or done; starts one (reserving room, unloading LRU models) when there is none. */
    private CompletableFuture<ModelServer> load(Entry e, boolean retryNow) throws Unavailable {
        List<ModelServer> evicted = new ArrayList<>();
        CompletableFuture<ModelServer> f;
        synchronized (this) {
            if (e.loading != null && !(e.loading.isCompletedExceptionally() && (retryNow
                    || System.currentTimeMillis() - e.failedAt > RETRY_MILLIS))) {
                return e.loading;
            }
            long size = registry.byAlias(e.name, alias).map(ModelVersion::sizeBytes).orElse(0L);
            if (size > budget) {
                throw new Unavailable(503, "model '" + e.name + "' (" + size + " bytes) is larger than the memory budget");
            }
            while (resident + size > budget) {
                Entry victim = leastRecentlyUsed(e);
                if (victim == null) {
                    throw new Unavailable(503, "the memory budget is taken by models in use or pinned; try again");
                }
                evicted.add(victim.server);
                unloadLocked(victim);
            }
            resident += size;
            e.bytes = size;
            e.failure = null;
            f = new CompletableFuture<>();
            e.loading = f;
        }
        for (ModelServer s : evicted) {
            closeQuietly(s);
        }
        loaders.execute(() -> {
            try {
                ModelServer s = factory.apply(e.name).start();
                synchronized (this) {
                    if (e.loading == f && !closed) {
                        e.server = s;
                        e.lastUsed = ++clock;
                        f.complete(s);
                        return;
                    }
                }
                closeQuietly(s); // unloaded or closed meanwhile
                f.completeExceptionally(new IllegalStateException("unloaded while loading"));
            } catch (RuntimeException | Error failure) {
                LOG.warn("Model '{}' cannot be served: {}", e.name, failure.toString());
                synchronized (this) {
                    if (e.loading == f) {
                        resident -= e.bytes;
                        e.bytes = 0;
                        e.failure = failure.getMessage();
                        e.failedAt = System.currentTimeMillis();
                    }
                }
                f.completeExceptionally(failure);
            }
        });
        return f;
    }

    /** The loaded, unpinned, idle model used least recently (not the one making room). */
    private Entry leastRecentlyUsed(Entry except) {
        Entry best = null;
        for (Entry c : entries.values()) {
            if (c != except && c.server != null && !c.pinned && c.inFlight.get() == 0 && (best == null || c.lastUsed < best.lastUsed)) {
                best = c;
            }
        }
        return best;
    }

    private void unloadLocked(Entry e) {
        resident -= e.bytes;
        e.bytes = 0;
        e.server = null;
        e.loading = null;
    }

    /** Unloads a model (the repository extension's unload); its requests in flight finish first. */
    void unload(String name) throws Unavailable {
        Entry e = entry(name);
        ModelServer s;
        synchronized (this) {
            s = e.server;
            if (e.loading != null && e.server == null && !e.loading.isDone()) {
                throw new Unavailable(503, "model '" + name + "' is loading; unload it when it is loaded");
            }
            unloadLocked(e);
        }
        closeQuietly(s);
    }

    /** The repository index: each model's name, loaded version, state and reason. */
    synchronized List<Map<String, Object>> index() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : names()) {
            Entry e = entries.get(name);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            String state = "UNLOADED";
            if (e != null && e.server != null) {
                state = "READY";
                m.put("version", e.server.modelVersion());
            } else if (e != null && e.loading != null && !e.loading.isDone()) {
                state = "LOADING";
            } else if (e != null && e.failure != null) {
                state = "UNAVAILABLE";
                m.put("reason", e.failure);
            }
            m.put("state", state);
            out.add(m);
        }
        return out;
    }

    /** The loaded models and their versions. */
    synchronized Map<String, String> loaded() {
        Map<String, String> out = new LinkedHashMap<>();
        entries.values().stream().filter(e -> e.server != null).forEach(e -> out.put(e.name, e.server.modelVersion()));
        return out;
    }

    synchronized long residentBytes() {
        return resident;
    }

    Optional<ModelServer> loadedServer(String name) {
        synchronized (this) {
            Entry e = entries.get(name);
            return Optional.ofNullable(e == null ? null : e.server);
        }
    }

    @Override
    public void close() {
        List<ModelServer> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Entry e : entries.values()) {
                if (e.server != null) {
                    all.add(e.server);
                }
                unloadLocked(e);
            }
        }
        all.forEach(ModelEntries::closeQuietly);
    }

    private static void closeQuietly(ModelServer s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (RuntimeException e) {
            LOG.warn("Could not close {}: {}", s, e.toString());
        }
    }
}
