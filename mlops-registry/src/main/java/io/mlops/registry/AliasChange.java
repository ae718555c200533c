package io.mlops.registry;

import io.mlops.core.Names;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One move of an alias, as recorded in its append-only history.
 *
 * @param model the model's name
 * @param alias the alias (such as {@code production})
 * @param from the version the alias pointed at before, or {@code null} when it was unset
 * @param to the version it points at after, or {@code null} when the alias was removed
 * @param at when the move happened
 * @param actor who moved it (the registry's actor), or {@code null} when none was set
 * @param reason why, as given to {@link ModelRegistry#setAlias(String, String, String, String)} (an
 *     automated canary analysis records its numbers here), or {@code null}
 * @since 0.1.0
 */
public record AliasChange(String model, String alias, String from, String to, Instant at, String actor, String reason) {

    /** The longest reason kept, in characters. */
    public static final int MAX_REASON_LENGTH = 4096;

    /**
     * Validates the components.
     *
     * @param model the model's name
     * @param alias the alias
     * @param from the previous target, or {@code null}
     * @param to the new target, or {@code null}
     * @param at when
     * @param actor who, or {@code null}
     * @param reason why, or {@code null}
     * @throws io.mlops.core.ValidationException when the reason is blank or longer than {@link #MAX_REASON_LENGTH}
     */
    public AliasChange {
        Names.validate("model name", model);
        Names.validate("alias", alias);
        Objects.requireNonNull(at, "at");
        checkReason(reason);
    }

    /**
     * A change without a reason (as recorded before reasons existed).
     *
     * @param model the model's name
     * @param alias the alias
     * @param from the previous target, or {@code null}
     * @param to the new target, or {@code null}
     * @param at when
     * @param actor who, or {@code null}
     */
    public AliasChange(String model, String alias, String from, String to, Instant at, String actor) {
        this(model, alias, from, to, at, actor, null);
    }

    /**
     * Checks a reason for an alias move: {@code null}, or 1 to {@link #MAX_REASON_LENGTH} characters not all blank.
     *
     * @param reason the reason, or {@code null}
     * @return the reason
     * @throws io.mlops.core.ValidationException when it is blank or too long
     */
    public static String checkReason(String reason) {
        if (reason != null && (reason.isBlank() || reason.length() > MAX_REASON_LENGTH)) {
            throw new io.mlops.core.ValidationException("an alias move's reason must be 1 to " + MAX_REASON_LENGTH
                    + " characters, not blank, but had " + reason.length());
        }
        return reason;
    }

    /**
     * @return the previous target, empty when the alias was unset before
     */
    public Optional<String> previousVersion() {
        return Optional.ofNullable(from);
    }

    /**
     * @return the new target, empty when the alias was removed
     */
    public Optional<String> newVersion() {
        return Optional.ofNullable(to);
    }
}
