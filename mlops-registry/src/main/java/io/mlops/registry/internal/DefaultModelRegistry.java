package io.mlops.registry.internal;

import io.mlops.core.Json;
import io.mlops.core.Names;
import io.mlops.core.Problem;
import io.mlops.core.SemanticVersion;
import io.mlops.core.StorageException;
import io.mlops.core.spi.CorruptFileException;
import io.mlops.core.spi.IoSupplier;
import io.mlops.core.spi.BlobStore;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelCodec;
import io.mlops.registry.ModelInUseException;
import io.mlops.registry.ModelNotFoundException;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.Registration;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.RegistryListener;
import io.mlops.registry.spi.ModelStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@link ModelRegistry} over a {@link ModelStore} and a {@link BlobStore}.
 *
 * <p>Registrations are {@link DefaultRegistration}s.
 */
public final class DefaultModelRegistry implements ModelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultModelRegistry.class);

    private final RegistryContext ctx;
    private final ModelStore store;
    private final AliasOperations aliasOps;
    private final ArtifactAccess artifacts;
    private final SigningOperations signing;
    private final AliasApprovals approvals;

    /**
     * Creates the default model registry.
     *
     * @param store the metadata store
     * @param blobs the artifact store
     * @param actor recorded with every change, or {@code null}
     * @param clock the time source
     * @param listeners receive every change
     * @param trust the trust policies by alias
     * @param protections the approvals each protected alias needs
     */
    public DefaultModelRegistry(ModelStore store, BlobStore blobs, String actor, Clock clock,
                                List<RegistryListener> listeners, java.util.Map<String, io.mlops.registry.TrustPolicy> trust,
                                java.util.Map<String, Integer> protections) {
        this.ctx = new RegistryContext(store, blobs, actor, clock, listeners, new java.util.concurrent.ConcurrentHashMap<>(trust),
                new java.util.concurrent.ConcurrentHashMap<>(protections));
        this.signing = new SigningOperations(ctx);
        this.store = store;
        this.aliasOps = new AliasOperations(ctx);
        this.approvals = new AliasApprovals(ctx, aliasOps);
        this.artifacts = new ArtifactAccess(ctx, this::models, this::versions);
    }

    // ------------------------------------------------------------------ registration

    @Override
    public Registration register(String name) {
        return new DefaultRegistration(ctx, Names.validate("model name", name));
    }

    /** What a write produced: the version it is about, and the event to deliver (or null). */
    record Outcome(ModelVersion version, RegistryEvent event) {
    }

    // ------------------------------------------------------------------ queries

    @Override
    public Optional<ModelVersion> find(String name, String version) {
        return ctx.find(name, version);
    }

    @Override
    public ModelVersion get(String name, String version) {
        return find(name, version).orElseThrow(() -> new ModelNotFoundException(
                "Model '" + name + "' version '" + version + "' not found"));
    }

    @Override
    public Optional<ModelVersion> latest(String name) {
        Names.validate("model name", name);
        List<SemanticVersion> versions = read(() -> store.versions(name));
        Optional<SemanticVersion> release = highest(versions, false);
        Optional<SemanticVersion> chosen = release.isPresent() ? release : highest(versions, true);
        return chosen.flatMap(v -> find(name, v.toString()));
    }

    @Override
    public Optional<ModelVersion> latest(String name, boolean includePreReleases) {
        Names.validate("model name", name);
        List<SemanticVersion> versions = read(() -> store.versions(name));
        return highest(versions, includePreReleases).flatMap(v -> find(name, v.toString()));
    }

    private static Optional<SemanticVersion> highest(List<SemanticVersion> ascending, boolean includePreReleases) {
        for (int i = ascending.size() - 1; i >= 0; i--) {
            SemanticVersion v = ascending.get(i);
            if (includePreReleases || !v.isPreRelease()) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    @Override
    public List<ModelVersion> versions(String name) {
        Names.validate("model name", name);
        return read(() -> {
            List<ModelVersion> out = new ArrayList<>();
            for (SemanticVersion v : store.versions(name)) {
                try {
                    store.find(name, v).ifPresent(out::add);
                } catch (CorruptFileException e) {
                    LOG.warn("Skipping model '{}' version '{}' in the listing: {}", name, v, e.getMessage());
                }
            }
            return List.copyOf(out);
        });
    }

    @Override
    public List<ModelVersion> search(String name, Map<String, String> tags, Map<String, ?> metadata) {
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(metadata, "metadata");
        Map<String, Object> wanted = new LinkedHashMap<>();
        metadata.forEach((k, v) -> wanted.put(k, Json.normalize(v)));
        List<ModelVersion> out = new ArrayList<>();
        for (ModelVersion v : versions(name)) {
            boolean match = tags.entrySet().stream().allMatch(e -> e.getValue().equals(v.tags().get(e.getKey())))
                    && wanted.entrySet().stream().allMatch(e -> v.metadata().containsKey(e.getKey())
                    && Json.jsonEquals(e.getValue(), v.metadata().get(e.getKey())));
            if (match) {
                out.add(v);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<String> models() {
        return read(store::models);
    }

    // ------------------------------------------------------------------ deletion

    @Override
    public void delete(String name, String version) {
        delete(name, version, false);
    }

    @Override
    public void delete(String name, String version, boolean force) {
        Names.validate("model name", name);
        SemanticVersion parsed = SemanticVersion.parse(version);
        List<RegistryEvent> events = write(() -> {
            String targetVersion;
            String targetSha;
            try {
                ModelVersion target = store.find(name, parsed).orElseThrow(() -> new ModelNotFoundException(
                        "Model '" + name + "' version '" + version + "' not found"));
                targetVersion = target.version();
                targetSha = target.sha256();
            } catch (CorruptFileException damaged) {
                if (!force) {
                    throw new StorageException("Model '" + name + "' version '" + version + "' is damaged (" + damaged.getMessage()
                            + "); delete it with delete(name, version, true), or register it again with overwrite(true)", damaged);
                }
                // its artifact is unknown: the version goes, the blob stays
                targetVersion = parsed.toString();
                targetSha = null;
            }
            Map<String, String> pointing = new TreeMap<>();
            for (Map.Entry<String, String> a : aliasOps.currentAliasesLocked(name).entrySet()) {
                if (a.getValue().equals(targetVersion)) {
                    pointing.put(a.getKey(), a.getValue());
                }
            }
            if (!pointing.isEmpty() && !force) {
                throw new ModelInUseException("Model '" + name + "' version '" + version + "' is the target of alias(es) "
                        + pointing.keySet() + "; move or remove them first, or delete with force");
            }
            List<RegistryEvent> fired = new ArrayList<>();
            Instant now = ctx.clock().instant();
            String actor = ctx.actor();
            for (String alias : pointing.keySet()) {
                ctx.checkUnprotected(name, alias);
            }
            for (String alias : pointing.keySet()) {
                store.appendAliasChange(new AliasChange(name, alias, targetVersion, null, now, actor));
                RegistryEvent e = new RegistryEvent(RegistryEvent.Type.ALIAS_REMOVED, name, null, alias, targetVersion, now, actor);
                e = AuditChain.append(store, e);
                fired.add(e);
            }
            store.delete(name, parsed);
            RegistryEvent deleted = new RegistryEvent(RegistryEvent.Type.DELETED, name, targetVersion, null, null, now, actor);
            deleted = AuditChain.append(store, deleted);
            fired.add(deleted);
            if (targetSha != null) {
                ctx.collectLocked(targetSha);
            }
            return fired;
        });
        events.forEach(ctx::notifyListeners);
    }

    // ------------------------------------------------------------------ aliases (AliasOperations)

    @Override
    public ModelVersion setAlias(String name, String alias, String version, String reason) {
        return aliasOps.setAlias(name, alias, version, reason);
    }

    @Override
    public Optional<ModelVersion> byAlias(String name, String alias) {
        return aliasOps.byAlias(name, alias);
    }

    @Override
    public Optional<ModelVersion> aliasAt(String name, String alias, Instant time) {
        return aliasOps.aliasAt(name, alias, time);
    }

    @Override
    public Map<String, String> aliases(String name) {
        return aliasOps.aliases(name);
    }

    @Override
    public boolean removeAlias(String name, String alias) {
        return aliasOps.removeAlias(name, alias);
    }

    @Override
    public List<AliasChange> aliasHistory(String name, String alias) {
        return aliasOps.aliasHistory(name, alias);
    }

    @Override
    public ModelVersion rollback(String name, String alias, String reason) {
        return aliasOps.rollback(name, alias, reason);
    }

    // ------------------------------------------------------------------ artifacts (ArtifactAccess)

    @Override
    public InputStream openArtifact(ModelVersion version) {
        return artifacts.open(version);
    }

    @Override
    public <T> T load(ModelVersion version, ModelCodec<T> codec) {
        return artifacts.load(version, codec);
    }

    @Override
    public List<Problem> verify() {
        return artifacts.verify();
    }

    @Override
    public List<RegistryEvent> auditLog() {
        return read(() -> List.copyOf(store.events()));
    }

    private DefaultWebhooks webhooks; // guarded by this

    @Override
    public synchronized io.mlops.registry.Webhooks webhooks() {
        if (webhooks == null) {
            webhooks = new DefaultWebhooks(ctx, java.time.Duration.ofSeconds(1));
        }
        return webhooks;
    }

    @Override
    public io.mlops.registry.ModelCard card(String name, String version) {
        return RegistryCards.card(this, name, version);
    }

    /** Every alias the model ever had (with a history), for its cards. */
    List<String> aliasNames(String name) {
        return read(() -> store.aliasNames(name));
    }

    @Override
    public ModelRegistry protectAlias(String alias, int approvalsNeeded) {
        approvals.protect(alias, approvalsNeeded);
        return this;
    }

    @Override
    public io.mlops.registry.AliasMoveRequest requestAliasMove(String name, String alias, String version, String requester,
                                                              String reason) {
        return approvals.request(name, alias, version, requester, reason);
    }

    @Override
    public io.mlops.registry.AliasMoveRequest approve(String requestId, String approver) {
        return approvals.approve(requestId, approver);
    }

    @Override
    public io.mlops.registry.AliasMoveRequest reject(String requestId, String person, String reason) {
        return approvals.reject(requestId, person, reason);
    }

    @Override
    public List<io.mlops.registry.AliasMoveRequest> aliasMoveRequests(String name) {
        return approvals.requests(name);
    }

    @Override
    public java.util.Optional<io.mlops.registry.AliasMoveRequest> aliasMoveRequest(String requestId) {
        return approvals.request(requestId);
    }

    @Override
    public io.mlops.registry.ModelSignature sign(String name, String version, io.mlops.registry.ModelSigner signer) {
        return signing.sign(name, version, signer);
    }

    @Override
    public List<io.mlops.registry.ModelSignature> signatures(String name, String version) {
        return signing.signatures(name, version);
    }

    @Override
    public io.mlops.registry.SignatureCheck verifySignatures(String name, String version, io.mlops.registry.TrustPolicy policy) {
        return signing.verify(name, version, policy);
    }

    @Override
    public ModelRegistry trustPolicy(String alias, io.mlops.registry.TrustPolicy policy) {
        signing.trustPolicy(alias, policy);
        return this;
    }

    @Override
    public java.util.Optional<io.mlops.registry.TrustPolicy> trustPolicy(String alias) {
        return java.util.Optional.ofNullable(ctx.trust().get(io.mlops.core.Names.validate("alias", alias)));
    }

    @Override
    public io.mlops.registry.AuditVerification verifyAuditTrail(io.mlops.registry.AuditHead exported) {
        return read(() -> {
            List<io.mlops.core.Problem> unreadable = new ArrayList<>();
            List<RegistryEvent> events = store.events(unreadable);
            return AuditChain.verify(events, unreadable.stream().map(p -> p.location() + ": " + p.description()).toList(),
                    exported);
        });
    }

    @Override
    public AutoCloseable watch(Runnable onChange) {
        return read(() -> store.watch(java.util.Objects.requireNonNull(onChange, "onChange")));
    }

    @Override
    public AutoCloseable addListener(RegistryListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        ctx.listeners().add(listener);
        return () -> ctx.listeners().remove(listener);
    }

    // ------------------------------------------------------------------ plumbing

    private <T> T read(IoSupplier<T> action) {
        return ctx.read(action);
    }

    private <T> T write(IoSupplier<T> action) {
        return ctx.write(action);
    }

    @Override
    public String toString() {
        return "ModelRegistry[" + store + ", " + ctx.blobs() + "]";
    }
}
