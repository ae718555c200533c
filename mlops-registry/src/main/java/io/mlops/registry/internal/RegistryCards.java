package io.mlops.registry.internal;

import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;

import java.util.ArrayList;
import java.util.List;

/** The registry's facts for a model card: the aliases that moved to and from the version, its signatures, its audit events. */
final class RegistryCards {

    private RegistryCards() {
    }

    static io.mlops.registry.ModelCard card(DefaultModelRegistry registry, String name, String version) {
        ModelVersion v = registry.get(name, version);
        java.util.Map<String, java.util.Map<String, Object>> facts = new java.util.LinkedHashMap<>();
        java.util.Map<String, Object> aliasFacts = new java.util.LinkedHashMap<>();
        for (String alias : registry.aliasNames(name)) {
            List<String> moves = new ArrayList<>();
            for (io.mlops.registry.AliasChange c : registry.aliasHistory(name, alias)) {
                if (v.version().equals(c.to()) || v.version().equals(c.from())) {
                    moves.add((v.version().equals(c.to()) ? "to it" : "away from it") + " at " + c.at()
                            + (c.actor() == null ? "" : " by " + c.actor()) + (c.reason() == null ? "" : ": " + c.reason()));
                }
            }
            if (!moves.isEmpty()) {
                aliasFacts.put(alias + (v.version().equals(registry.aliases(name).get(alias)) ? " (points here now)" : ""), moves);
            }
        }
        facts.put("Aliases", aliasFacts);
        java.util.Map<String, Object> signed = new java.util.LinkedHashMap<>();
        List<io.mlops.registry.ModelSignature> signatures = registry.signatures(name, v.version());
        signed.put("signatures", signatures.size());
        signed.put("keys", signatures.stream().map(io.mlops.registry.ModelSignature::keyId).toList());
        facts.put("Signatures", signed);
        java.util.Map<String, Object> audit = new java.util.LinkedHashMap<>();
        int n = 0;
        for (RegistryEvent e : registry.auditLog()) {
            if (e.model().equals(name) && v.version().equals(e.version())) {
                audit.put(++n + ". " + e.type().name().toLowerCase(java.util.Locale.ROOT) + (e.alias() == null ? "" : " @" + e.alias()),
                        e.at() + (e.actor() == null ? "" : " by " + e.actor()) + (e.reason() == null ? "" : ": " + e.reason()));
            }
        }
        facts.put("Audit trail", audit);
        return io.mlops.registry.ModelCard.of(v, facts);
    }
}
