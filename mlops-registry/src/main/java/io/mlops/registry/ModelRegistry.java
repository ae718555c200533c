package io.mlops.registry;

import io.mlops.core.spi.BlobStore;
import io.mlops.registry.internal.DefaultModelRegistry;
import io.mlops.registry.spi.ModelStore;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A registry of model versions with aliases, artifacts and an audit log.
 *
 * <pre>{@code
 * ModelRegistry registry = ModelRegistry.fileSystem(Path.of("models"));
 * ModelVersion v = registry.register("customer_churn_predictor")
 *         .version("1.0.0")
 *         .artifact(Path.of("model.bin"))
 *         .metadata("accuracy", 0.95)
 *         .tag("algorithm", "RandomForest")
 *         .save();
 * registry.setAlias("customer_churn_predictor", "production", "1.0.0");
 * ModelVersion prod = registry.byAlias("customer_churn_predictor", "production").orElseThrow();
 * }</pre>
 *
 * <p><b>Versions</b> are SemVer 2.0.0 and ordered by precedence, never as strings
 * ({@code 1.10.0 > 1.9.0}). Two versions of one model may not differ only in build metadata.
 * <b>Latest</b> is the highest <em>release</em>; pre-releases count only when the model has no
 * release at all (or when asked with {@link #latest(String, boolean)}).
 *
 * <p><b>Aliases</b> ({@code production}, {@code staging}, any valid name) point at versions; every
 * move is kept in an append-only history, so "what was production at time T" ({@link #aliasAt})
 * and {@link #rollback} are one call.
 *
 * <p><b>Artifacts</b> are stored once per content in a {@link BlobStore}, and verified against
 * their SHA-256 whenever read. A deleted version's artifact is removed when no other version
 * references it.
 *
 * <p>Implementations are thread-safe. The file-system registry is also safe for several processes
 * sharing one root: writes are serialised by a file lock and committed atomically; reads take no
 * lock.
 *
 * @since 0.1.0
 */
public interface ModelRegistry {

    /**
     * The embedded default: metadata and artifacts in files under {@code root}.
     *
     * @param root the registry's folder, created when missing
     * @return the registry
     */
    static ModelRegistry fileSystem(Path root) {
        return builder().fileSystem(root).build();
    }

    /**
     * @return a builder for a registry with other stores, an actor, listeners or a clock
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Starts registering a version of a model.
     *
     * @param name the model's name ({@link io.mlops.core.Names})
     * @return the registration to configure and {@link Registration#save()}
     * @throws io.mlops.core.ValidationException when the name is invalid
     */
    Registration register(String name);

    /**
     * @param name a model name
     * @param version a version
     * @return the version, or empty when it does not exist
     */
    Optional<ModelVersion> find(String name, String version);

    /**
     * @param name a model name
     * @param version a version
     * @return the version
     * @throws ModelNotFoundException when it does not exist
     */
    ModelVersion get(String name, String version);

    /**
     * The highest release of a model; its highest pre-release when it has no release.
     *
     * @param name a model name
     * @return the version, or empty when the model has none
     */
    Optional<ModelVersion> latest(String name);

    /**
     * The highest version of a model.
     *
     * @param name a model name
     * @param includePreReleases whether pre-releases compete with releases
     * @return the version, or empty when the model has none (or, without pre-releases, no release)
     */
    Optional<ModelVersion> latest(String name, boolean includePreReleases);

    /**
     * @param name a model name
     * @return its versions in ascending SemVer order; empty for an unknown model
     */
    List<ModelVersion> versions(String name);

    /**
     * The versions of a model whose tags and metadata contain all the given entries (metadata values
     * compared as JSON: {@code 1} equals {@code 1.0}).
     *
     * @param name a model name
     * @param tags required tags, may be empty
     * @param metadata required metadata entries, may be empty
     * @return the matching versions in ascending SemVer order
     */
    List<ModelVersion> search(String name, Map<String, String> tags, Map<String, ?> metadata);

    /**
     * @return the names of the models that have at least one version, sorted
     */
    List<String> models();

    /**
     * Deletes a version that no alias points at.
     *
     * @param name a model name
     * @param version a version
     * @throws ModelNotFoundException when it does not exist
     * @throws ModelInUseException when an alias points at it
     */
    void delete(String name, String version);

    /**
     * Deletes a version; with {@code force}, removes the aliases pointing at it first (recorded in
     * their histories).
     *
     * @param name a model name
     * @param version a version
     * @param force whether to remove aliases pointing at it
     * @throws ModelNotFoundException when it does not exist
     * @throws ModelInUseException when an alias points at it and {@code force} is off
     */
    void delete(String name, String version, boolean force);

    /**
     * Points an alias at a version (a no-op when it already points there).
     *
     * @param name a model name
     * @param alias the alias ({@link io.mlops.core.Names})
     * @param version an existing version
     * @return the version the alias now points at
     * @throws ModelNotFoundException when the version does not exist
     */
    default ModelVersion setAlias(String name, String alias, String version) {
        return setAlias(name, alias, version, null);
    }

    /**
     * Points an alias at a version and records why in the alias's history and the audit log
     * ({@link AliasChange#reason()}, {@link RegistryEvent#reason()}); a no-op when it already points there.
     *
     * @param name a model name
     * @param alias the alias ({@link io.mlops.core.Names})
     * @param version an existing version
     * @param reason why, up to {@link AliasChange#MAX_REASON_LENGTH} characters, or {@code null}
     * @return the version the alias now points at
     * @throws ModelNotFoundException when the version does not exist
     * @throws io.mlops.core.ValidationException when the reason is blank or too long
     */
    ModelVersion setAlias(String name, String alias, String version, String reason);

    /**
     * @param name a model name
     * @param alias an alias
     * @return the version the alias points at, or empty when it is not set
     */
    Optional<ModelVersion> byAlias(String name, String alias);

    /**
     * The version an alias pointed at, at a given time.
     *
     * @param name a model name
     * @param alias an alias
     * @param time the time
     * @return the target then, or empty when the alias was unset then (or its target has since been deleted)
     */
    Optional<ModelVersion> aliasAt(String name, String alias, Instant time);

    /**
     * @param name a model name
     * @return the model's current aliases and their versions, sorted by alias
     */
    Map<String, String> aliases(String name);

    /**
     * Removes an alias.
     *
     * @param name a model name
     * @param alias an alias
     * @return {@code true} when it was set
     */
    boolean removeAlias(String name, String alias);

    /**
     * @param name a model name
     * @param alias an alias
     * @return every move of the alias, oldest first
     */
    List<AliasChange> aliasHistory(String name, String alias);

    /**
     * Moves an alias back to its previous target (the version it pointed at before its last move).
     * Two rollbacks in a row return to where the first started.
     *
     * @param name a model name
     * @param alias an alias
     * @return the version the alias now points at
     * @throws io.mlops.core.ValidationException when the alias has no previous target
     * @throws ModelNotFoundException when the previous target has been deleted
     */
    default ModelVersion rollback(String name, String alias) {
        return rollback(name, alias, null);
    }

    /**
     * Moves an alias back to its previous target, recording why.
     *
     * @param name a model name
     * @param alias an alias
     * @param reason why, up to {@link AliasChange#MAX_REASON_LENGTH} characters, or {@code null}
     * @return the version the alias now points at
     * @throws io.mlops.core.ValidationException when the alias has no previous target
     * @throws ModelNotFoundException when the previous target has been deleted
     * @throws io.mlops.core.ValidationException when the reason is blank or too long
     */
    ModelVersion rollback(String name, String alias, String reason);

    /**
     * Opens a version's artifact; the SHA-256 is verified while reading.
     *
     * @param version a registered version
     * @return the artifact's bytes; the caller closes the stream
     * @throws io.mlops.core.IntegrityException at the end of the stream at the latest, when the
     *     stored bytes do not match
     * @throws ModelNotFoundException when the artifact is missing
     */
    InputStream openArtifact(ModelVersion version);

    /**
     * Loads a version's artifact as a model object, verifying it first.
     *
     * @param version a registered version
     * @param codec how to decode it
     * @param <T> the model type
     * @return the model
     * @throws io.mlops.core.IntegrityException when the stored bytes do not match
     * @throws io.mlops.core.ValidationException when the codec cannot decode the bytes (or, for
     *     Java serialization, meets a class outside its allow-list)
     */
    <T> T load(ModelVersion version, ModelCodec<T> codec);

    /**
     * @return every change ever made through any registry on this store, oldest first
     */
    List<RegistryEvent> auditLog();

    /**
     * The registry's webhooks ({@link Webhooks}): registry events POSTed, signed, to the receivers
     * this instance subscribes, at least once, from the audit log.
     *
     * @return the webhooks of this registry instance (one per instance)
     * @since 0.1.0
     */
    Webhooks webhooks();

    /**
     * A model card of a version: the registry's facts (digest, size, metadata, tags, the aliases
     * that moved to and from it, its signatures, its audit events) and the free-text sections
     * written in its metadata as {@code card.intended_use}, {@code card.limitations}, ... (see
     * {@link ModelCard#HEADINGS}); add the training data and live metrics with
     * {@link ModelCard#withSection} (the CLI's {@code mlops registry card} and the console do).
     *
     * @param name the model
     * @param version the version
     * @return the card
     * @throws ModelNotFoundException when there is no such version
     * @since 0.1.0
     */
    ModelCard card(String name, String version);

    /**
     * Protects an alias, for this registry instance: from now on it moves only through a request
     * ({@link #requestAliasMove}) approved by {@code approvals} people other than the requester
     * ({@link #approve}); {@link #setAlias}, {@link #rollback}, {@link #removeAlias} and a forced
     * delete of the version it points at throw {@link ApprovalRequiredException}. Like trust
     * policies, protection is configuration: give it to every process that writes the registry.
     * The canary analysis's automatic promotion does not count as an approval: on a protected
     * alias it files the request itself (requester {@code canary-analysis}, its evidence as the
     * reason) and people approve it — an automated check is not a person, and an approval is
     * somebody's name on the move.
     *
     * @param alias the alias
     * @param approvals the distinct approvers needed, 1 to 100; 0 lifts the protection
     * @return this
     * @since 0.1.0
     */
    ModelRegistry protectAlias(String alias, int approvals);

    /**
     * Requests a protected alias's move. The request is an audit event ({@code MOVE_REQUESTED}),
     * visible to every process on the store; the version must exist and pass the alias's trust
     * policy now.
     *
     * @param name the model
     * @param alias a protected alias
     * @param version the version it should point at
     * @param requester who asks (1 to 256 printable characters)
     * @param reason why, or null
     * @return the request, pending
     * @throws io.mlops.core.ValidationException when the alias is not protected or points there already
     * @throws ModelNotFoundException when there is no such version
     * @throws UntrustedModelException when the alias's trust policy refuses the version
     * @since 0.1.0
     */
    AliasMoveRequest requestAliasMove(String name, String alias, String version, String requester, String reason);

    /**
     * Approves a pending request; the approval that reaches the alias's count moves the alias, in
     * the same write, recorded in its history with the reason, the requester and the approvers.
     *
     * @param requestId the request's id
     * @param approver who approves: not the requester, once per request
     * @return the request after the approval ({@code APPLIED} when it moved the alias)
     * @throws ApprovalRequiredException when the approver requested it or approved it already, or the
     *     request is not pending (rejected, applied, or stale: the alias moved since)
     * @throws io.mlops.core.NotFoundException when there is no such request
     * @since 0.1.0
     */
    AliasMoveRequest approve(String requestId, String approver);

    /**
     * Rejects (or, by its requester, withdraws) a pending request.
     *
     * @param requestId the request's id
     * @param person who rejects
     * @param reason why, or null
     * @return the request, rejected
     * @throws ApprovalRequiredException when the request is not pending
     * @throws io.mlops.core.NotFoundException when there is no such request
     * @since 0.1.0
     */
    AliasMoveRequest reject(String requestId, String person, String reason);

    /**
     * @param name a model, or null for every model
     * @return the alias move requests, oldest first, each with its state
     * @since 0.1.0
     */
    List<AliasMoveRequest> aliasMoveRequests(String name);

    /**
     * @param requestId a request's id
     * @return the request, if there is one
     * @since 0.1.0
     */
    java.util.Optional<AliasMoveRequest> aliasMoveRequest(String requestId);

    /**
     * Signs a version: an in-toto statement naming the version, its artifact's SHA-256, size,
     * metadata and tags, in a DSSE envelope ({@link ModelSignature}), stored with the version and
     * recorded in the audit log ({@code SIGNED}, the key's name as its reason). A version may carry
     * several signatures (a builder's and a reviewer's); deleting it removes them.
     *
     * @param name the model
     * @param version the version
     * @param signer the key, e.g. {@link ModelSigner#ed25519}
     * @return the signature stored
     * @throws ModelNotFoundException when there is no such version
     * @throws io.mlops.core.StorageException when the signer fails or the store cannot keep it
     * @throws UnsupportedOperationException when the store keeps no signatures (a custom one)
     * @since 0.1.0
     */
    ModelSignature sign(String name, String version, ModelSigner signer);

    /**
     * @param name the model
     * @param version the version
     * @return its signatures, oldest first
     * @since 0.1.0
     */
    List<ModelSignature> signatures(String name, String version);

    /**
     * Checks a version's signatures under a policy: trusted when one of them verifies under one of
     * the policy's keys over the statement of this version as it is stored now (its artifact's
     * SHA-256, size, metadata and tags).
     *
     * @param name the model
     * @param version the version
     * @param policy the keys to trust
     * @return the verdict, with why each signature did not count
     * @throws ModelNotFoundException when there is no such version
     * @since 0.1.0
     */
    SignatureCheck verifySignatures(String name, String version, TrustPolicy policy);

    /**
     * Sets the trust policy of an alias, for this registry instance: from now on {@link #setAlias}
     * and {@link #rollback} refuse to point it at a version the policy does not accept
     * ({@link UntrustedModelException}), and a {@code ModelServer} following the alias through this
     * registry refuses to load one. Policies are configuration, kept in memory and not in the store,
     * so the keys come from where the registry's writers cannot change them; give the same policy
     * to every process (the Spring starter's {@code mlops.registry.trust.*}, {@code mlops serve
     * --trust}).
     *
     * @param alias the alias, such as {@code production}
     * @param policy the policy, or null to remove it
     * @return this
     * @since 0.1.0
     */
    ModelRegistry trustPolicy(String alias, TrustPolicy policy);

    /**
     * @param alias an alias
     * @return its trust policy on this instance, if any
     * @since 0.1.0
     */
    java.util.Optional<TrustPolicy> trustPolicy(String alias);

    /**
     * Checks the audit trail's hash chain: every event carries the SHA-256 of the previous event's
     * chain hash and its own fields ({@link RegistryEvent#chainHash()}), linked inside the store's
     * write lock, on every store. An event that was changed, removed or moved breaks the chain at
     * the first event after the change, which is reported ({@link AuditVerification#firstBroken()});
     * an unreadable event in the store breaks it too. Events written before the chain existed are
     * counted as {@code unchained} and not protected.
     *
     * <p>The chain alone shows accidental or careless changes: someone who can write the store could
     * rewrite an event and recompute every hash after it, or cut events off the end. Export the head
     * ({@link #auditHead()}) to a place the registry's writers cannot change and check it with
     * {@link #verifyAuditTrail(AuditHead)}: that detects both.
     *
     * @return the verdict
     * @throws io.mlops.core.StorageException when the store cannot be read
     * @since 0.1.0
     */
    default AuditVerification verifyAuditTrail() {
        return verifyAuditTrail(null);
    }

    /**
     * Checks the audit trail's hash chain ({@link #verifyAuditTrail()}) and that a head exported
     * earlier is part of it: the event at its position carries its hash, so nothing up to it was
     * rewritten and nothing after it removed.
     *
     * @param exported a head from {@link #auditHead()}, or null
     * @return the verdict
     * @throws io.mlops.core.StorageException when the store cannot be read
     * @since 0.1.0
     */
    AuditVerification verifyAuditTrail(AuditHead exported);

    /**
     * The audit trail's head now, to export and check later ({@link AuditHead#toString()} is its text form).
     *
     * @return the head, or empty when no event is chained yet
     * @throws IllegalStateException when the trail is not intact (the head would vouch for a broken one)
     * @since 0.1.0
     */
    default java.util.Optional<AuditHead> auditHead() {
        AuditVerification v = verifyAuditTrail();
        if (!v.intact()) {
            throw new IllegalStateException("the audit trail is not intact: " + v.problem());
        }
        return java.util.Optional.ofNullable(v.head());
    }

    /**
     * Checks the whole registry for damage: the store's own files (unreadable index lines, version
     * records that do not parse), and every version's artifact (present, and its SHA-256 verified by
     * reading it whole, so this takes as long as reading every artifact once).
     *
     * <p>Damage stays local: a damaged record fails only its own version ({@link #get} throws a
     * {@link io.mlops.core.StorageException} naming the file; {@link #versions} and {@link #search}
     * skip it with a warning), and other models are unaffected. To repair, delete a damaged version
     * with {@code delete(name, version, true)}, or register it again with {@code overwrite(true)}; a
     * damaged artifact is repaired by registering the same bytes again under any version.
     *
     * @return what is damaged, with what to do about it; empty when all is well
     */
    List<io.mlops.core.Problem> verify();

    /**
     * Calls back soon after another process commits an alias move, when the store can tell
     * ({@link ModelStore#jdbc} on PostgreSQL: within milliseconds, by {@code LISTEN/NOTIFY}). Stores
     * that cannot tell never call back, so callers that follow aliases keep polling as well; moves
     * made through this registry also reach its {@link Builder#listener listeners}. The callback
     * runs on the store's listening thread: keep it short.
     *
     * @param onChange what to run; it should re-read the aliases it follows
     * @return stops the watching
     */
    default AutoCloseable watch(Runnable onChange) {
        return () -> { };
    }

    /**
     * Adds a listener to a built registry, as {@link Builder#listener} adds one at build time (the
     * hook of {@code MlopsMeters.bind(meterRegistry, registry)} in {@code io.mlops:mlops-micrometer}):
     * it receives every change made through this registry from now on.
     *
     * @param listener the listener
     * @return a handle whose {@code close()} removes it
     * @since 0.1.0
     */
    AutoCloseable addListener(RegistryListener listener);

    /** Builds a {@link ModelRegistry}. Not thread-safe. */
    final class Builder {
        private ModelStore store;
        private BlobStore blobs;
        private String actor;
        private Clock clock = Clock.systemUTC();
        private final List<RegistryListener> listeners = new ArrayList<>();
        private final java.util.Map<String, TrustPolicy> trust = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, Integer> protections = new java.util.LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Keeps metadata in {@code root/metadata} and artifacts in {@code root/blobs}.
         *
         * @param root the registry's folder
         * @return this builder
         */
        public Builder fileSystem(Path root) {
            Objects.requireNonNull(root, "root");
            this.store = ModelStore.fileSystem(root.resolve("metadata"));
            this.blobs = BlobStore.fileSystem(root.resolve("blobs"));
            return this;
        }

        /**
         * Sets where metadata is kept.
         *
         * @param store where metadata is kept
         * @return this builder
         */
        public Builder store(ModelStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Sets where artifacts are kept.
         *
         * @param blobs where artifacts are kept
         * @return this builder
         */
        public Builder blobStore(BlobStore blobs) {
            this.blobs = Objects.requireNonNull(blobs, "blobs");
            return this;
        }

        /**
         * Sets who makes the changes, recorded in alias histories and the audit log.
         *
         * @param actor who makes the changes, recorded in alias histories and the audit log
         * @return this builder
         */
        public Builder actor(String actor) {
            Objects.requireNonNull(actor, "actor");
            if (actor.isBlank() || actor.length() > 256) {
                throw new IllegalArgumentException("actor must be 1 to 256 non-blank characters but was '" + actor + "'");
            }
            this.actor = actor;
            return this;
        }

        /**
         * Sets receives every change made through the registry.
         *
         * @param listener receives every change made through the registry
         * @return this builder
         */
        public Builder listener(RegistryListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Protects an alias ({@link ModelRegistry#protectAlias}).
         *
         * @param alias the alias
         * @param approvals the distinct approvers needed, 1 to 100
         * @return this
         */
        public Builder protectAlias(String alias, int approvals) {
            if (approvals < 1 || approvals > 100) {
                throw new IllegalArgumentException("approvals must be in 1..100 but was " + approvals);
            }
            protections.put(io.mlops.core.Names.validate("alias", alias), approvals);
            return this;
        }

        /**
         * Sets an alias's trust policy ({@link ModelRegistry#trustPolicy(String, TrustPolicy)}).
         *
         * @param alias the alias
         * @param policy the policy
         * @return this
         */
        public Builder trustPolicy(String alias, TrustPolicy policy) {
            trust.put(io.mlops.core.Names.validate("alias", alias), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * Sets the source of registration and alias times (default: the UTC system clock).
         *
         * @param clock the source of registration and alias times (default: the UTC system clock)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the registry
         * @throws IllegalStateException when no store or no blob store was set
         */
        public ModelRegistry build() {
            if (store == null || blobs == null) {
                throw new IllegalStateException("a registry needs a store and a blob store: call fileSystem(root),"
                        + " or both store(...) and blobStore(...)");
            }
            return new DefaultModelRegistry(store, blobs, actor, clock, listeners, trust, protections);
        }
    }
}
