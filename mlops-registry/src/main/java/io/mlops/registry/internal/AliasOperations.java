package io.mlops.registry.internal;

import io.mlops.core.Names;
import io.mlops.core.SemanticVersion;
import io.mlops.core.ValidationException;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelNotFoundException;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** The registry's alias moves and queries: every move appends to the alias's history and the audit log. */
final class AliasOperations {

    private final RegistryContext registry;

    AliasOperations(RegistryContext registry) {
        this.registry = registry;
    }

    ModelVersion setAlias(String name, String alias, String version, String reason) {
        Names.validate("model name", name);
        Names.validate("alias", alias);
        AliasChange.checkReason(reason);
        SemanticVersion parsed = SemanticVersion.parse(version);
        DefaultModelRegistry.Outcome result = registry.write(() -> {
            ModelVersion target = registry.store().find(name, parsed).orElseThrow(() -> new ModelNotFoundException(
                    "Cannot point alias '" + alias + "' at model '" + name + "' version '" + version + "': no such version"));
            String current = currentTarget(registry.store().aliasHistory(name, alias));
            if (target.version().equals(current)) {
                return new DefaultModelRegistry.Outcome(target, null);
            }
            registry.checkUnprotected(name, alias);
            registry.checkTrustLocked(alias, target);
            return new DefaultModelRegistry.Outcome(target, moveLocked(name, alias, current, target.version(), RegistryEvent.Type.ALIAS_MOVED, reason));
        });
        if (result.event() != null) {
            registry.notifyListeners(result.event());
        }
        return result.version();
    }

    private RegistryEvent moveLocked(String name, String alias, String from, String to, RegistryEvent.Type type,
                                     String reason) throws IOException {
        Instant now = registry.clock().instant();
        registry.store().appendAliasChange(new AliasChange(name, alias, from, to, now, registry.actor(), reason));
        RegistryEvent e = new RegistryEvent(type, name, to, alias, from, now, registry.actor(), reason);
        e = AuditChain.append(registry.store(), e);
        return e;
    }

    /** Moves an alias as an approved request says; under the write lock, the trust policy still applies. */
    RegistryEvent moveApprovedLocked(String name, String alias, String from, ModelVersion target, String reason)
            throws IOException {
        registry.checkTrustLocked(alias, target);
        return moveLocked(name, alias, from, target.version(), RegistryEvent.Type.ALIAS_MOVED, reason);
    }

    /** What an alias points at now, under the write lock (null: nothing). */
    String currentTargetLocked(String name, String alias) throws IOException {
        return currentTarget(registry.store().aliasHistory(name, alias));
    }

    static String currentTarget(List<AliasChange> history) {
        return history.isEmpty() ? null : history.get(history.size() - 1).to();
    }

    Optional<ModelVersion> byAlias(String name, String alias) {
        Names.validate("model name", name);
        Names.validate("alias", alias);
        String target = currentTarget(registry.read(() -> registry.store().aliasHistory(name, alias)));
        return target == null ? Optional.empty() : registry.find(name, target);
    }

    Optional<ModelVersion> aliasAt(String name, String alias, Instant time) {
        Names.validate("model name", name);
        Names.validate("alias", alias);
        Objects.requireNonNull(time, "time");
        String target = null;
        for (AliasChange c : registry.read(() -> registry.store().aliasHistory(name, alias))) {
            if (c.at().isAfter(time)) {
                break;
            }
            target = c.to();
        }
        return target == null ? Optional.empty() : registry.find(name, target);
    }

    Map<String, String> aliases(String name) {
        Names.validate("model name", name);
        return registry.read(() -> currentAliasesLocked(name));
    }

    Map<String, String> currentAliasesLocked(String name) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String alias : registry.store().aliasNames(name)) {
            String target;
            try {
                target = currentTarget(registry.store().aliasHistory(name, alias));
            } catch (io.mlops.core.spi.CorruptFileException damaged) {
                // a damaged alias is left out of the listing (its own reads fail, verify() reports it)
                org.slf4j.LoggerFactory.getLogger(AliasOperations.class).warn("Leaving alias '{}' of '{}' out: {}", alias, name,
                        damaged.getMessage());
                continue;
            }
            if (target != null) {
                out.put(alias, target);
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    boolean removeAlias(String name, String alias) {
        Names.validate("model name", name);
        Names.validate("alias", alias);
        RegistryEvent e = registry.write(() -> {
            String current = currentTarget(registry.store().aliasHistory(name, alias));
            if (current != null) {
                registry.checkUnprotected(name, alias);
            }
            return current == null ? null : moveLocked(name, alias, current, null, RegistryEvent.Type.ALIAS_REMOVED, null);
        });
        if (e != null) {
            registry.notifyListeners(e);
        }
        return e != null;
    }

    List<AliasChange> aliasHistory(String name, String alias) {
        Names.validate("model name", name);
        Names.validate("alias", alias);
        return registry.read(() -> List.copyOf(registry.store().aliasHistory(name, alias)));
    }

    ModelVersion rollback(String name, String alias, String reason) {
        Names.validate("model name", name);
        Names.validate("alias", alias);
        AliasChange.checkReason(reason);
        DefaultModelRegistry.Outcome result = registry.write(() -> {
            List<AliasChange> history = registry.store().aliasHistory(name, alias);
            if (history.isEmpty() || history.get(history.size() - 1).from() == null) {
                throw new ValidationException("Alias '" + alias + "' of model '" + name
                        + "' has no previous target to roll back to");
            }
            AliasChange last = history.get(history.size() - 1);
            ModelVersion target = registry.store().find(name, SemanticVersion.parse(last.from())).orElseThrow(() -> new ModelNotFoundException(
                    "Cannot roll alias '" + alias + "' of model '" + name + "' back to version '" + last.from()
                            + "': it has been deleted"));
            registry.checkUnprotected(name, alias);
            registry.checkTrustLocked(alias, target);
            return new DefaultModelRegistry.Outcome(target, moveLocked(name, alias, last.to(), target.version(),
                    RegistryEvent.Type.ALIAS_ROLLED_BACK, reason));
        });
        registry.notifyListeners(result.event());
        return result.version();
    }
}
