package io.mlops.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that changed in a registry: delivered to {@link RegistryListener}s and recorded, one
 * JSON line each, in the audit log ({@link ModelRegistry#auditLog()}).
 *
 * @param type what happened
 * @param model the model's name
 * @param version the version registered or deleted, or the alias's new target; {@code null} when
 *     an alias was removed
 * @param alias the alias moved, or {@code null} for registrations and deletions
 * @param previousVersion the alias's previous target, or {@code null}
 * @param at when it happened
 * @param actor who did it (the registry's actor), or {@code null} when none was set
 * @param reason why an alias moved, when the mover gave one ({@link AliasChange#reason()}), else {@code null}
 * @param chainHash the audit trail's hash chain at this event, 64 lowercase hexadecimal digits: SHA-256 of
 *     the previous event's chain hash and this event's fields ({@link ModelRegistry#verifyAuditTrail()});
 *     {@code null} for an event not yet appended, or written before the chain existed
 * @since 0.1.0
 */
public record RegistryEvent(Type type, String model, String version, String alias, String previousVersion,
                            Instant at, String actor, String reason, String chainHash) {

    /** What happened. */
    public enum Type {
        /** A version was registered. */
        REGISTERED,
        /** An existing version was replaced ({@code overwrite(true)}). */
        OVERWRITTEN,
        /** An alias was set or moved. */
        ALIAS_MOVED,
        /** An alias was moved back to its previous target by {@link ModelRegistry#rollback}. */
        ALIAS_ROLLED_BACK,
        /** An alias was removed. */
        ALIAS_REMOVED,
        /** A version was deleted. */
        DELETED,
        /** A version was signed ({@link ModelRegistry#sign}); the reason names the key. */
        SIGNED,
        /** A move of a protected alias was requested ({@link ModelRegistry#requestAliasMove}); the actor asked. */
        MOVE_REQUESTED,
        /** A requested move was approved; the actor approved, the reason is {@code request ID}. */
        MOVE_APPROVED,
        /** A requested move was rejected or withdrawn; the reason is {@code request ID: why}. */
        MOVE_REJECTED
    }

    /**
     * Validates the components.
     *
     * @param type what happened
     * @param model the model's name
     * @param version the version involved, or {@code null}
     * @param alias the alias involved, or {@code null}
     * @param previousVersion the alias's previous target, or {@code null}
     * @param at when
     * @param actor who, or {@code null}
     * @param reason why, or {@code null}
     * @param chainHash the chain hash, or {@code null}
     */
    public RegistryEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(at, "at");
        AliasChange.checkReason(reason);
        if (chainHash != null && !chainHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a chain hash is 64 lowercase hexadecimal digits");
        }
    }

    /**
     * An event outside the chain (not yet appended).
     *
     * @param type what happened
     * @param model the model's name
     * @param version the version involved, or {@code null}
     * @param alias the alias involved, or {@code null}
     * @param previousVersion the alias's previous target, or {@code null}
     * @param at when
     * @param actor who, or {@code null}
     * @param reason why, or {@code null}
     */
    public RegistryEvent(Type type, String model, String version, String alias, String previousVersion, Instant at,
                         String actor, String reason) {
        this(type, model, version, alias, previousVersion, at, actor, reason, null);
    }

    /**
     * @param hash the chain hash
     * @return this event with it
     */
    public RegistryEvent withChainHash(String hash) {
        return new RegistryEvent(type, model, version, alias, previousVersion, at, actor, reason, hash);
    }

    /**
     * An event without a reason.
     *
     * @param type what happened
     * @param model the model's name
     * @param version the version involved, or {@code null}
     * @param alias the alias involved, or {@code null}
     * @param previousVersion the alias's previous target, or {@code null}
     * @param at when
     * @param actor who, or {@code null}
     */
    public RegistryEvent(Type type, String model, String version, String alias, String previousVersion, Instant at,
                         String actor) {
        this(type, model, version, alias, previousVersion, at, actor, null, null);
    }
}
