package io.mlops.registry;

import java.util.Objects;

/**
 * The head of a registry's audit trail: how many events it held and the hash chain at the last of
 * them ({@link ModelRegistry#auditHead()}). Kept somewhere the registry's writers cannot change — a
 * ticket, a signed release note, another system — it lets {@link ModelRegistry#verifyAuditTrail(AuditHead)}
 * prove later that nothing up to it was rewritten, not even by someone who recomputed every hash
 * after an edit, and that no event at the end was removed. Its text form is
 * {@code mlops-audit-head:1:EVENTS:HASH}.
 *
 * @param events the number of events up to and including the head
 * @param hash the chain hash of the last of them (64 lowercase hexadecimal digits)
 * @since 0.1.0
 */
public record AuditHead(long events, String hash) {

    private static final String PREFIX = "mlops-audit-head:1:";

    /**
     * Validates the components.
     *
     * @param events at least 1
     * @param hash 64 lowercase hexadecimal digits
     */
    public AuditHead {
        if (events < 1) {
            throw new IllegalArgumentException("an audit head counts at least one event but was " + events);
        }
        Objects.requireNonNull(hash, "hash");
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("an audit head's hash is 64 lowercase hexadecimal digits");
        }
    }

    /**
     * Reads the text form.
     *
     * @param text {@code mlops-audit-head:1:EVENTS:HASH}
     * @return the head
     * @throws IllegalArgumentException when the text is not one
     */
    public static AuditHead parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > 128 || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an audit head (expected " + PREFIX + "EVENTS:HASH)");
        }
        String[] parts = text.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 2 || !parts[0].matches("[1-9][0-9]{0,17}")) {
            throw new IllegalArgumentException("not an audit head (expected " + PREFIX + "EVENTS:HASH)");
        }
        return new AuditHead(Long.parseLong(parts[0]), parts[1]);
    }

    /** @return the text form, {@code mlops-audit-head:1:EVENTS:HASH} */
    @Override
    public String toString() {
        return PREFIX + events + ":" + hash;
    }
}
