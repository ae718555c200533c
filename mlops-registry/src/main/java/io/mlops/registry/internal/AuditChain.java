package io.mlops.registry.internal;

import io.mlops.registry.AuditHead;
import io.mlops.registry.AuditVerification;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.spi.ModelStore;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The audit trail's hash chain. An event's chain hash is
 * {@code SHA-256("mlops-audit-chain-1\n" ‖ previous ‖ field₁ ‖ … ‖ field₈)}, where {@code previous}
 * is the previous event's chain hash as 64 hexadecimal ASCII digits (64 zeros before the first
 * chained event) and each field — type, model, version, alias, previous version, time (ISO-8601,
 * {@code Instant.toString()}), actor, reason — is a 4-byte big-endian length and its UTF-8 bytes,
 * or the length -1 for none. The registry links each event to the store's last one inside its write
 * lock, so the chain is one sequence across threads and processes.
 */
final class AuditChain {

    static final String GENESIS = "0".repeat(64);
    private static final byte[] DOMAIN = "mlops-audit-chain-1\n".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    private AuditChain() {
    }

    /** Appends an event linked to the store's last one; call inside the store's write lock. */
    static RegistryEvent append(ModelStore store, RegistryEvent event) throws IOException {
        String previous = store.lastEvent().map(RegistryEvent::chainHash).orElse(null);
        RegistryEvent chained = event.withChainHash(link(previous == null ? GENESIS : previous, event));
        store.appendEvent(chained);
        return chained;
    }

    /** The chain hash of an event after the one whose chain hash is {@code previous}. */
    static String link(String previous, RegistryEvent e) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(DOMAIN);
            sha.update(previous.getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            for (String field : new String[] {e.type().name(), e.model(), e.version(), e.alias(), e.previousVersion(),
                    e.at().toString(), e.actor(), e.reason()}) {
                if (field == null) {
                    out.writeInt(-1);
                } else {
                    byte[] b = field.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                }
            }
            sha.update(bytes.toByteArray());
            return HEX.formatHex(sha.digest());
        } catch (NoSuchAlgorithmException | IOException e1) {
            throw new IllegalStateException("SHA-256 over memory cannot fail", e1);
        }
    }

    /**
     * Checks that every event follows the one before it, and that the exported head (if any) is in
     * the chain.
     *
     * @param events the trail, oldest first
     * @param damaged what the store found unreadable in its audit log (each breaks the trail), or empty
     * @param exported a head exported earlier, or null
     */
    static AuditVerification verify(List<RegistryEvent> events, List<String> damaged, AuditHead exported) {
        String previous = GENESIS;
        long unchained = 0;
        boolean chained = false;
        for (int i = 0; i < events.size(); i++) {
            RegistryEvent e = events.get(i);
            if (e.chainHash() == null) {
                if (!chained) {
                    unchained++;
                    continue;
                }
                return broken(events, unchained, i, "event " + i + " (" + describe(e) + ") carries no chain hash after"
                        + " chained events: it was inserted, or its hash removed");
            }
            String expected = link(previous, e);
            if (!expected.equals(e.chainHash())) {
                return broken(events, unchained, i, "event " + i + " (" + describe(e) + ") does not follow the one before"
                        + " it: it was changed, or an event before it was removed or moved");
            }
            previous = expected;
            chained = true;
        }
        AuditHead head = chained ? new AuditHead(events.size(), previous) : null;
        if (!damaged.isEmpty()) {
            return new AuditVerification(false, events.size(), unchained, -1, "the audit log holds unreadable events: "
                    + String.join("; ", damaged), head);
        }
        if (exported != null) {
            if (events.size() < exported.events()) {
                return new AuditVerification(false, events.size(), unchained, events.size(), "the trail holds "
                        + events.size() + " events, fewer than the " + exported.events() + " of the exported head:"
                        + " events at its end were removed", head);
            }
            RegistryEvent at = events.get((int) exported.events() - 1);
            if (!exported.hash().equals(at.chainHash())) {
                return new AuditVerification(false, events.size(), unchained, exported.events() - 1, "event "
                        + (exported.events() - 1) + " is not the exported head: the trail up to it was rewritten", head);
            }
        }
        return new AuditVerification(true, events.size(), unchained, -1, null, head);
    }

    private static AuditVerification broken(List<RegistryEvent> events, long unchained, int at, String problem) {
        return new AuditVerification(false, events.size(), unchained, at, problem, null);
    }

    private static String describe(RegistryEvent e) {
        return e.type() + " " + e.model() + (e.version() == null ? "" : " " + e.version())
                + (e.alias() == null ? "" : " @" + e.alias()) + " at " + e.at();
    }
}
