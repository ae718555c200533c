package io.mlops.registry.internal;

import io.mlops.core.Json;
import io.mlops.core.Names;
import io.mlops.core.SemanticVersion;
import io.mlops.registry.ModelNotFoundException;
import io.mlops.registry.ModelSignature;
import io.mlops.registry.ModelSigner;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.SignatureCheck;
import io.mlops.registry.TrustPolicy;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The registry's signing: sign a version, list and check its signatures, keep the trust policies. */
final class SigningOperations {

    private final RegistryContext registry;

    SigningOperations(RegistryContext registry) {
        this.registry = registry;
    }

    ModelSignature sign(String name, String version, ModelSigner signer) {
        Names.validate("model name", name);
        SemanticVersion parsed = SemanticVersion.parse(version);
        Objects.requireNonNull(signer, "signer");
        RegistryEvent[] fired = new RegistryEvent[1];
        ModelSignature signature = registry.write(() -> {
            ModelVersion v = registry.store().find(name, parsed).orElseThrow(() -> new ModelNotFoundException(
                    "Cannot sign model '" + name + "' version '" + version + "': no such version"));
            ModelSignature s;
            try {
                s = SignedStatements.sign(v, signer);
            } catch (GeneralSecurityException e) {
                throw new IOException("the signer " + signer + " could not sign " + v.coordinates() + ": " + e.getMessage(), e);
            }
            if (registry.store().signatures(name, parsed).size() >= SignatureFiles.MAX_PER_VERSION) {
                throw new io.mlops.core.ValidationException(v.coordinates() + " holds " + SignatureFiles.MAX_PER_VERSION
                        + " signatures already; no more are kept");
            }
            registry.store().appendSignature(name, parsed, s.envelope());
            fired[0] = AuditChain.append(registry.store(), new RegistryEvent(RegistryEvent.Type.SIGNED, name, v.version(), null,
                    null, registry.clock().instant(), registry.actor(), "key " + signer.keyId()));
            return s;
        });
        registry.notifyListeners(fired[0]);
        return signature;
    }

    List<ModelSignature> signatures(String name, String version) {
        Names.validate("model name", name);
        SemanticVersion parsed = SemanticVersion.parse(version);
        List<ModelSignature> out = new ArrayList<>();
        for (String envelope : registry.read(() -> registry.store().signatures(name, parsed))) {
            out.add(new ModelSignature(keyIdOf(envelope), envelope));
        }
        return out;
    }

    SignatureCheck verify(String name, String version, TrustPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        ModelVersion v = registry.find(name, version).orElseThrow(() -> new ModelNotFoundException(
                "Cannot check the signatures of model '" + name + "' version '" + version + "': no such version"));
        return SignedStatements.check(v, registry.read(() -> registry.store().signatures(name, SemanticVersion.parse(version))),
                policy);
    }

    /** The envelope's first signature's key id, or "?" when it does not read. */
    private static String keyIdOf(String envelope) {
        try {
            if (envelope.length() <= SignedStatements.MAX_ENVELOPE_CHARS && Json.read(envelope) instanceof Map<?, ?> m
                    && m.get("signatures") instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> s
                    && s.get("keyid") instanceof String id && id.length() <= 256) {
                return id;
            }
        } catch (IOException e) {
            // an unreadable envelope: its key is unknown
        }
        return "?";
    }

    void trustPolicy(String alias, TrustPolicy policy) {
        Names.validate("alias", alias);
        if (policy == null) {
            registry.trust().remove(alias);
        } else {
            registry.trust().put(alias, policy);
        }
    }
}
