package io.mlops.registry;

import java.time.Instant;
import java.util.List;

/**
 * A request to move a protected alias ({@link ModelRegistry#requestAliasMove}), and where it
 * stands. Requests live in the audit log — {@code MOVE_REQUESTED}, {@code MOVE_APPROVED},
 * {@code MOVE_REJECTED} events — so they are shared by every process on the store, survive
 * restarts, and are covered by the audit trail's hash chain.
 *
 * @param id the request's id: the first 16 hexadecimal digits of its event's chain hash
 * @param model the model
 * @param alias the protected alias
 * @param version the version it should point at
 * @param from what the alias pointed at when it was requested (null: nothing); a request whose
 *     alias moved since is stale and cannot be approved
 * @param requester who asked
 * @param reason why
 * @param requestedAt when
 * @param approvers who approved, in order
 * @param status where it stands
 * @since 0.1.0
 */
public record AliasMoveRequest(String id, String model, String alias, String version, String from, String requester,
                               String reason, Instant requestedAt, List<String> approvers, Status status) {

    /** Where a request stands. */
    public enum Status {
        /** Waiting for approvals. */
        PENDING,
        /** Approved by enough people: the alias moved. */
        APPLIED,
        /** Rejected by someone. */
        REJECTED,
        /** The alias moved another way since: approve a new request instead. */
        STALE
    }

    /**
     * Copies the approvers.
     *
     * @param id the id
     * @param model the model
     * @param alias the alias
     * @param version the target
     * @param from the alias's target when requested
     * @param requester who asked
     * @param reason why
     * @param requestedAt when
     * @param approvers who approved
     * @param status where it stands
     */
    public AliasMoveRequest {
        approvers = List.copyOf(approvers);
    }
}
