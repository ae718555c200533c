package io.mlops.registry.internal;

import io.mlops.core.Names;
import io.mlops.core.SemanticVersion;
import io.mlops.core.StorageException;
import io.mlops.core.spi.IoSupplier;
import io.mlops.core.spi.BlobStore;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.RegistryListener;
import io.mlops.registry.spi.ModelStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the registry's parts share — its stores, clock, actor and listeners — and the few things
 * they all do with them: read and write (a write under the store's lock), deliver an event to the
 * listeners, and remove an artifact no version references. The registry's helpers
 * ({@link DefaultRegistration}, {@link AliasOperations}, {@link ArtifactAccess}) are given this,
 * not the registry itself. Immutable; thread-safe.
 *
 * @param store the metadata store
 * @param blobs the artifact store
 * @param actor recorded with every change, or null
 * @param clock the time source
 * @param listeners receive every change, guarded; a copy-on-write list, added to and removed from at any time
 * @param trust the trust policies by alias, set at any time
 * @param protections the approvals each protected alias needs, set at any time
 */
record RegistryContext(ModelStore store, BlobStore blobs, String actor, Clock clock, List<RegistryListener> listeners,
                       java.util.concurrent.ConcurrentHashMap<String, io.mlops.registry.TrustPolicy> trust,
                       java.util.concurrent.ConcurrentHashMap<String, Integer> protections) {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryContext.class);

    RegistryContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(clock, "clock");
        listeners = new java.util.concurrent.CopyOnWriteArrayList<>(listeners); // added to later by addListener
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(protections, "protections");
    }

    /**
     * Refuses a direct move of a protected alias.
     *
     * @throws io.mlops.registry.ApprovalRequiredException when the alias is protected
     */
    void checkUnprotected(String name, String alias) {
        Integer needed = protections.get(alias);
        if (needed != null) {
            throw new io.mlops.registry.ApprovalRequiredException("Alias '" + alias + "' of model '" + name + "' is protected:"
                    + " it moves only through a request approved by " + needed + (needed == 1 ? " person" : " people")
                    + " other than its requester (requestAliasMove, then approve)");
        }
    }

    /**
     * Refuses a version an alias's trust policy does not accept; call under the write lock, before
     * the alias moves.
     *
     * @throws io.mlops.registry.UntrustedModelException when the policy refuses it
     */
    void checkTrustLocked(String alias, ModelVersion target) throws IOException {
        io.mlops.registry.TrustPolicy policy = trust.get(alias);
        if (policy == null) {
            return;
        }
        io.mlops.registry.SignatureCheck check = SignedStatements.check(target,
                store.signatures(target.name(), SemanticVersion.parse(target.version())), policy);
        if (!check.trusted()) {
            throw new io.mlops.registry.UntrustedModelException("Alias '" + alias + "' accepts only versions signed under its"
                    + " trust policy; " + target.coordinates() + " is not: " + String.join("; ", check.problems()));
        }
    }

    <T> T read(IoSupplier<T> action) {
        return StorageException.wrap("Registry read", action);
    }

    <T> T write(IoSupplier<T> action) {
        return StorageException.wrap("Registry write", () -> store.writeLocked(action));
    }

    /** A version, by validated name and parsed version. */
    Optional<ModelVersion> find(String name, String version) {
        Names.validate("model name", name);
        SemanticVersion v = SemanticVersion.parse(version);
        return read(() -> store.find(name, v));
    }

    /** Delivers an event to every listener; a throwing listener is logged and never breaks the change. */
    void notifyListeners(RegistryEvent event) {
        for (RegistryListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Registry listener {} failed on {}: {}", l, event, e.toString(), e);
            }
        }
    }

    /** Removes an artifact that no version references any more; call under the write lock. */
    void collectLocked(String sha256) throws IOException {
        if (!store.isArtifactReferenced(sha256)) {
            blobs.delete(sha256);
        }
    }

    /** Removes an artifact that no version references, taking the lock; a failure is only logged. */
    void collectIfUnreferenced(String sha256) {
        try {
            store.writeLocked(() -> {
                collectLocked(sha256);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not remove the unused artifact {}: {}", sha256, e.toString());
        }
    }
}
