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
 */
public record AliasChange(String model, String alias, String from, String to, Instant at, String actor) {

    /**
     * Validates the components.
     *
     * @param model the model's name
     * @param alias the alias
     * @param from the previous target, or {@code null}
     * @param to the new target, or {@code null}
     * @param at when
     * @param actor who, or {@code null}
     */
    public AliasChange {
        Names.validate("model name", model);
        Names.validate("alias", alias);
        Objects.requireNonNull(at, "at");
    }

    /**
     * Returns the previous target, empty when the alias was unset before.
     *
     * @return the previous target, empty when the alias was unset before
     */
    public Optional<String> previousVersion() {
        return Optional.ofNullable(from);
    }

    /**
     * Returns the new target, empty when the alias was removed.
     *
     * @return the new target, empty when the alias was removed
     */
    public Optional<String> newVersion() {
        return Optional.ofNullable(to);
    }
}
