package io.mlops.registry.internal;

import io.mlops.core.Json;
import io.mlops.registry.ModelSignature;
import io.mlops.registry.ModelSigner;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.SignatureCheck;
import io.mlops.registry.TrustPolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model versions' signatures: DSSE envelopes over in-toto Statement v1 (see {@link ModelSignature}),
 * written and checked here. An envelope is read with limits (at most {@value #MAX_ENVELOPE_CHARS}
 * characters, {@value #MAX_SIGNATURES} signatures, the JSON reader's depth and number limits), and
 * every way it can be wrong — not JSON, another payload type, a payload that is not the statement
 * of this version, a signature that does not verify, a key no policy holds — is a problem line,
 * never an exception that stops the other signatures from counting.
 */
final class SignedStatements {

    static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
    static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    static final int MAX_ENVELOPE_CHARS = 1 << 20;
    static final int MAX_SIGNATURES = 16;

    private SignedStatements() {
    }

    /** The in-toto statement of a version, as the payload's bytes. */
    static byte[] statement(ModelVersion v) {
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("name", v.name() + ":" + v.version());
        subject.put("digest", Map.of("sha256", v.sha256()));
        Map<String, Object> predicate = new LinkedHashMap<>();
        predicate.put("model", v.name());
        predicate.put("version", v.version());
        predicate.put("size", v.sizeBytes());
        predicate.put("registeredAt", v.registeredAt().toString());
        predicate.put("metadata", v.metadata());
        predicate.put("tags", v.tags());
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("_type", STATEMENT_TYPE);
        statement.put("subject", List.of(subject));
        statement.put("predicateType", ModelSignature.PREDICATE_TYPE);
        statement.put("predicate", predicate);
        return Json.write(statement, MAX_ENVELOPE_CHARS / 2, "the signed statement").getBytes(StandardCharsets.UTF_8);
    }

    /** DSSE's pre-authentication encoding: {@code "DSSEv1" SP len(type) SP type SP len(body) SP body}, lengths in bytes. */
    static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + payload.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        return out;
    }

    /** Signs a version: its envelope. */
    static ModelSignature sign(ModelVersion v, ModelSigner signer) throws GeneralSecurityException {
        byte[] payload = statement(v);
        byte[] sig = signer.sign(pae(PAYLOAD_TYPE, payload));
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put("keyid", signer.keyId());
        signature.put("sig", Base64.getEncoder().encodeToString(sig));
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("payloadType", PAYLOAD_TYPE);
        envelope.put("payload", Base64.getEncoder().encodeToString(payload));
        envelope.put("signatures", List.of(signature));
        return new ModelSignature(signer.keyId(), Json.write(envelope, MAX_ENVELOPE_CHARS, "the signature envelope"));
    }

    /** Checks a version's stored envelopes against a policy. */
    static SignatureCheck check(ModelVersion v, List<String> envelopes, TrustPolicy policy) {
        List<String> problems = new ArrayList<>();
        if (envelopes.isEmpty()) {
            return new SignatureCheck(false, null, List.of(v.name() + " " + v.version() + " is not signed"));
        }
        for (int i = 0; i < envelopes.size(); i++) {
            String found = checkOne(v, envelopes.get(i), policy, i, problems);
            if (found != null) {
                return new SignatureCheck(true, found, problems);
            }
        }
        return new SignatureCheck(false, null, problems);
    }

    /** The fingerprint of the policy key one envelope verifies under, or null with the reason added to problems. */
    private static String checkOne(ModelVersion v, String envelope, TrustPolicy policy, int index, List<String> problems) {
        String where = "signature envelope " + index;
        if (envelope.length() > MAX_ENVELOPE_CHARS) {
            problems.add(where + " is over " + MAX_ENVELOPE_CHARS + " characters");
            return null;
        }
        Map<?, ?> env;
        byte[] payload;
        try {
            env = Json.read(envelope) instanceof Map<?, ?> m ? m : null;
            if (env == null) {
                problems.add(where + " is not a JSON object");
                return null;
            }
            if (!PAYLOAD_TYPE.equals(env.get("payloadType"))) {
                problems.add(where + " has payload type " + env.get("payloadType") + ", not " + PAYLOAD_TYPE);
                return null;
            }
            payload = decode(env.get("payload"));
        } catch (IOException | IllegalArgumentException e) {
            problems.add(where + " does not read: " + e.getMessage());
            return null;
        }
        String mismatch = statementMismatch(v, payload);
        if (mismatch != null) {
            problems.add(where + " signs " + mismatch);
            return null;
        }
        if (!(env.get("signatures") instanceof List<?> sigs) || sigs.isEmpty() || sigs.size() > MAX_SIGNATURES) {
            problems.add(where + " holds no signatures, or more than " + MAX_SIGNATURES);
            return null;
        }
        byte[] message = pae(PAYLOAD_TYPE, payload);
        for (Object s : sigs) {
            byte[] sig;
            try {
                sig = decode(s instanceof Map<?, ?> m ? m.get("sig") : null);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": a signature does not read: " + e.getMessage());
                continue;
            }
            Object keyId = s instanceof Map<?, ?> m ? m.get("keyid") : null;
            for (PublicKey key : policy.keys()) {
                if (verifies(key, message, sig)) {
                    return TrustPolicy.fingerprint(key);
                }
            }
            problems.add(where + ": the signature of key '" + (keyId instanceof String k && k.length() <= 256 ? k : "?")
                    + "' verifies under no key of the policy");
        }
        return null;
    }

    private static boolean verifies(PublicKey key, byte[] message, byte[] sig) {
        return Ed25519.verify(key, message, sig); // a malformed signature is one that does not verify
    }

    private static byte[] decode(Object base64) {
        if (!(base64 instanceof String s)) {
            throw new IllegalArgumentException("expected Base64 text");
        }
        return (s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
    }

    /** What the payload signs instead of this version, or null when it is this version's statement. */
    private static String statementMismatch(ModelVersion v, byte[] payload) {
        Map<?, ?> st;
        try {
            st = Json.read(new String(payload, StandardCharsets.UTF_8)) instanceof Map<?, ?> m ? m : null;
        } catch (IOException e) {
            return "a payload that is not JSON";
        }
        if (st == null || !STATEMENT_TYPE.equals(st.get("_type"))
                || !ModelSignature.PREDICATE_TYPE.equals(st.get("predicateType"))) {
            return "a payload that is not an in-toto statement of type " + ModelSignature.PREDICATE_TYPE;
        }
        if (!(st.get("subject") instanceof List<?> subjects) || subjects.size() != 1
                || !(subjects.get(0) instanceof Map<?, ?> subject) || !(subject.get("digest") instanceof Map<?, ?> digest)) {
            return "a statement without exactly one subject";
        }
        if (!(v.name() + ":" + v.version()).equals(subject.get("name"))) {
            return "another version (" + abbreviate(subject.get("name")) + ")";
        }
        if (!v.sha256().equals(digest.get("sha256"))) {
            return "other bytes (sha256 " + abbreviate(digest.get("sha256")) + ", the artifact's is " + v.sha256() + ")";
        }
        if (!(st.get("predicate") instanceof Map<?, ?> p)) {
            return "a statement without a predicate";
        }
        Object metadata = Json.normalize(v.metadata());
        Object tags = Json.normalize(v.tags());
        if (!Json.jsonEquals(p.get("metadata"), metadata) || !Json.jsonEquals(p.get("tags"), tags)
                || !Json.jsonEquals(p.get("size"), v.sizeBytes())) {
            return "other metadata, tags or size than the version has";
        }
        return null;
    }

    private static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
