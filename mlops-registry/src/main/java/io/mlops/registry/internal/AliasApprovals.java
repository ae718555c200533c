package io.mlops.registry.internal;

import io.mlops.core.Names;
import io.mlops.core.SemanticVersion;
import io.mlops.core.ValidationException;
import io.mlops.registry.AliasChange;
import io.mlops.registry.AliasMoveRequest;
import io.mlops.registry.ApprovalRequiredException;
import io.mlops.registry.ModelNotFoundException;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Protected aliases: requests to move them, approvals by people other than the requester, and the
 * move once enough approved. A request's state is read from the audit log (its events and the
 * alias's moves after it), under the write lock for every decision, so two approvers in two
 * processes never both complete one request.
 */
final class AliasApprovals {

    private final RegistryContext registry;
    private final AliasOperations aliases;

    AliasApprovals(RegistryContext registry, AliasOperations aliases) {
        this.registry = registry;
        this.aliases = aliases;
    }

    void protect(String alias, int approvals) {
        Names.validate("alias", alias);
        if (approvals < 0 || approvals > 100) {
            throw new IllegalArgumentException("approvals must be in 0..100 (0 lifts the protection) but was " + approvals);
        }
        if (approvals == 0) {
            registry.protections().remove(alias);
        } else {
            registry.protections().put(alias, approvals);
        }
    }

    static String person(String what, String name) {
        if (name == null || name.isBlank() || name.length() > 256 || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(what + " must be 1 to 256 printable characters, not blank");
        }
        return name;
    }

    AliasMoveRequest request(String name, String alias, String version, String requester, String reason) {
        Names.validate("model name", name);
        Names.validate("alias", alias);
        person("requester", requester);
        AliasChange.checkReason(reason);
        SemanticVersion parsed = SemanticVersion.parse(version);
        RegistryEvent[] fired = new RegistryEvent[1];
        AliasMoveRequest out = registry.write(() -> {
            if (!registry.protections().containsKey(alias)) {
                throw new ValidationException("Alias '" + alias + "' is not protected on this registry: move it with setAlias");
            }
            ModelVersion target = registry.store().find(name, parsed).orElseThrow(() -> new ModelNotFoundException(
                    "Cannot request alias '" + alias + "' of model '" + name + "' to move to '" + version + "': no such version"));
            String current = aliases.currentTargetLocked(name, alias);
            if (target.version().equals(current)) {
                throw new ValidationException("Alias '" + alias + "' of model '" + name + "' already points at " + current);
            }
            registry.checkTrustLocked(alias, target); // refused now rather than after the approvals
            fired[0] = AuditChain.append(registry.store(), new RegistryEvent(RegistryEvent.Type.MOVE_REQUESTED, name,
                    target.version(), alias, current, registry.clock().instant(), requester, reason));
            return new AliasMoveRequest(idOf(fired[0]), name, alias, target.version(), current, requester, reason,
                    fired[0].at(), List.of(), AliasMoveRequest.Status.PENDING);
        });
        registry.notifyListeners(fired[0]);
        return out;
    }

    AliasMoveRequest approve(String id, String approver) {
        person("approver", approver);
        List<RegistryEvent> fired = new ArrayList<>();
        AliasMoveRequest out = registry.write(() -> {
            AliasMoveRequest r = pendingLocked(id, "approve");
            if (r.requester().equals(approver)) {
                throw new ApprovalRequiredException("Request " + id + " was made by " + approver + ", who cannot approve it");
            }
            if (r.approvers().contains(approver)) {
                throw new ApprovalRequiredException(approver + " approved request " + id + " already");
            }
            Integer needed = registry.protections().get(r.alias());
            if (needed == null) {
                throw new ValidationException("Alias '" + r.alias() + "' is not protected on this registry any more");
            }
            Instant now = registry.clock().instant();
            fired.add(AuditChain.append(registry.store(), new RegistryEvent(RegistryEvent.Type.MOVE_APPROVED, r.model(),
                    r.version(), r.alias(), r.from(), now, approver, "request " + id)));
            List<String> approvers = new ArrayList<>(r.approvers());
            approvers.add(approver);
            if (approvers.size() < needed) {
                return new AliasMoveRequest(r.id(), r.model(), r.alias(), r.version(), r.from(), r.requester(), r.reason(),
                        r.requestedAt(), approvers, AliasMoveRequest.Status.PENDING);
            }
            ModelVersion target = registry.store().find(r.model(), SemanticVersion.parse(r.version())).orElseThrow(
                    () -> new ModelNotFoundException("Request " + id + " moves to " + r.model() + " " + r.version()
                            + ", which was deleted"));
            String why = (r.reason() == null ? "" : r.reason() + " ") + "(request " + id + " by " + r.requester()
                    + ", approved by " + String.join(", ", approvers) + ")";
            fired.add(aliases.moveApprovedLocked(r.model(), r.alias(), r.from(), target, why.length() > 1_000
                    ? why.substring(0, 997) + "..." : why));
            return new AliasMoveRequest(r.id(), r.model(), r.alias(), r.version(), r.from(), r.requester(), r.reason(),
                    r.requestedAt(), approvers, AliasMoveRequest.Status.APPLIED);
        });
        fired.forEach(registry::notifyListeners);
        return out;
    }

    AliasMoveRequest reject(String id, String person, String reason) {
        person("person", person);
        AliasChange.checkReason(reason);
        RegistryEvent[] fired = new RegistryEvent[1];
        AliasMoveRequest out = registry.write(() -> {
            AliasMoveRequest r = pendingLocked(id, "reject");
            String why = "request " + id + (reason == null ? "" : ": " + reason);
            fired[0] = AuditChain.append(registry.store(), new RegistryEvent(RegistryEvent.Type.MOVE_REJECTED, r.model(),
                    r.version(), r.alias(), r.from(), registry.clock().instant(), person, why.length() > 1_000
                            ? why.substring(0, 997) + "..." : why));
            return new AliasMoveRequest(r.id(), r.model(), r.alias(), r.version(), r.from(), r.requester(), r.reason(),
                    r.requestedAt(), r.approvers(), AliasMoveRequest.Status.REJECTED);
        });
        registry.notifyListeners(fired[0]);
        return out;
    }

    private AliasMoveRequest pendingLocked(String id, String action) throws IOException {
        AliasMoveRequest r = Optional.ofNullable(all(registry.store().events()).get(id)).orElseThrow(
                () -> new io.mlops.core.NotFoundException("No alias move request " + id));
        if (r.status() != AliasMoveRequest.Status.PENDING) {
            throw new ApprovalRequiredException("Cannot " + action + " request " + id + ": it is " + r.status()
                    + (r.status() == AliasMoveRequest.Status.STALE ? " (the alias moved since; request again)" : ""));
        }
        return r;
    }

    List<AliasMoveRequest> requests(String model) {
        if (model != null) {
            Names.validate("model name", model);
        }
        return registry.read(() -> all(registry.store().events()).values().stream()
                .filter(r -> model == null || r.model().equals(model)).toList());
    }

    Optional<AliasMoveRequest> request(String id) {
        return Optional.ofNullable(registry.read(() -> all(registry.store().events()).get(id)));
    }

    private static String idOf(RegistryEvent e) {
        return e.chainHash().substring(0, 16);
    }

    /** Every request in the log, by id, in the order made, with its state after the whole log. */
    static Map<String, AliasMoveRequest> all(List<RegistryEvent> events) {
        Map<String, AliasMoveRequest> out = new LinkedHashMap<>();
        for (RegistryEvent e : events) {
            switch (e.type()) {
                case MOVE_REQUESTED -> {
                    if (e.chainHash() != null) {
                        out.put(idOf(e), new AliasMoveRequest(idOf(e), e.model(), e.alias(), e.version(), e.previousVersion(),
                                e.actor(), e.reason(), e.at(), List.of(), AliasMoveRequest.Status.PENDING));
                    }
                }
                case MOVE_APPROVED, MOVE_REJECTED -> {
                    AliasMoveRequest r = out.get(referenced(e.reason()));
                    if (r != null && r.status() == AliasMoveRequest.Status.PENDING) {
                        List<String> approvers = new ArrayList<>(r.approvers());
                        if (e.type() == RegistryEvent.Type.MOVE_APPROVED) {
                            approvers.add(e.actor());
                        }
                        out.put(r.id(), with(r, r.alias(), approvers, e.type() == RegistryEvent.Type.MOVE_REJECTED
                                ? AliasMoveRequest.Status.REJECTED : AliasMoveRequest.Status.PENDING));
                    }
                }
                case ALIAS_MOVED, ALIAS_ROLLED_BACK, ALIAS_REMOVED -> {
                    for (AliasMoveRequest r : List.copyOf(out.values())) {
                        if (r.status() == AliasMoveRequest.Status.PENDING && r.model().equals(e.model()) && r.alias().equals(e.alias())) {
                            boolean applied = e.reason() != null && e.reason().contains("(request " + r.id() + " by ");
                            out.put(r.id(), with(r, r.alias(), r.approvers(), applied ? AliasMoveRequest.Status.APPLIED
                                    : AliasMoveRequest.Status.STALE));
                        }
                    }
                }
                default -> { }
            }
        }
        return out;
    }

    private static AliasMoveRequest with(AliasMoveRequest r, String alias, List<String> approvers, AliasMoveRequest.Status s) {
        return new AliasMoveRequest(r.id(), r.model(), alias, r.version(), r.from(), r.requester(), r.reason(), r.requestedAt(),
                approvers, s);
    }

    /** The request id an approval's or rejection's reason names ({@code request ID[: ...]}), or null. */
    private static String referenced(String reason) {
        if (reason == null || !reason.startsWith("request ") || reason.length() < 24) {
            return null;
        }
        return reason.substring(8, 24);
    }
}
