package io.mlops.registry;

/**
 * The verdict of {@link ModelRegistry#verifyAuditTrail()}: whether every event follows the one
 * before it in the hash chain, and where the chain first breaks when one does not.
 *
 * @param intact whether nothing was found changed, removed or reordered (and the exported head, when
 *     one was given, is part of the chain)
 * @param events the events read
 * @param unchained the events at the start written before the chain existed (not protected by it)
 * @param firstBroken the position (from 0, in {@link ModelRegistry#auditLog()}'s order) of the first event
 *     that does not follow the one before it — changed, or an event before it removed or moved — or -1
 * @param problem what was found, or {@code null} when intact
 * @param head the head of the chain as read (null when no event is chained)
 * @since 0.1.0
 */
public record AuditVerification(boolean intact, long events, long unchained, long firstBroken, String problem,
                                AuditHead head) {
}
