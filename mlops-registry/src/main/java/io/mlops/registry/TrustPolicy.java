package io.mlops.registry;

import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which signed versions an alias accepts ({@link ModelRegistry#trustPolicy(String, TrustPolicy)}):
 * a version passes when at least one of its signatures verifies under one of the policy's Ed25519
 * public keys and its signed statement names this model, this version, this artifact's SHA-256 and
 * this metadata. The keys are the trust anchor: give them from configuration the registry's writers
 * cannot change (the registry keeps policies in memory, per instance, not in its store).
 * Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class TrustPolicy {

    private final Map<String, PublicKey> keys; // by fingerprint: SHA-256 of the encoded key, hex

    private TrustPolicy(Map<String, PublicKey> keys) {
        this.keys = keys;
    }

    /**
     * A policy that accepts versions signed by any one of these keys.
     *
     * @param keys Ed25519 public keys, at least one
     * @return the policy
     * @throws IllegalArgumentException when there is no key, or one is not an Ed25519 key
     */
    public static TrustPolicy signedBy(PublicKey... keys) {
        Objects.requireNonNull(keys, "keys");
        if (keys.length == 0) {
            throw new IllegalArgumentException("a trust policy needs at least one public key");
        }
        Map<String, PublicKey> byPrint = new LinkedHashMap<>();
        for (PublicKey k : keys) {
            Objects.requireNonNull(k, "key");
            if (!isEd25519(k)) {
                throw new IllegalArgumentException("a trust policy takes Ed25519 public keys, not " + k.getAlgorithm());
            }
            byPrint.put(fingerprint(k), k);
        }
        return new TrustPolicy(java.util.Collections.unmodifiableMap(byPrint));
    }

    /**
     * The policy's keys.
     *
     * @return the keys, in the order given, duplicates removed
     */
    public List<PublicKey> keys() {
        return new ArrayList<>(keys.values());
    }

    /**
     * Reads an Ed25519 public key in the usual text forms: PEM ({@code -----BEGIN PUBLIC KEY-----},
     * as {@code openssl pkey -pubout} writes it) or the Base64 of its X.509 SubjectPublicKeyInfo.
     *
     * @param text the key's text, at most 4,096 characters
     * @return the key
     * @throws IllegalArgumentException when the text is not an Ed25519 public key
     */
    public static PublicKey readPublicKey(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > 4_096) {
            throw new IllegalArgumentException("a public key's text is at most 4,096 characters");
        }
        String body = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            PublicKey k = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
            if (!isEd25519(k)) {
                throw new IllegalArgumentException("not an Ed25519 public key");
            }
            return k;
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (PEM or Base64 X.509 SubjectPublicKeyInfo): "
                    + e.getMessage(), e);
        }
    }

    /**
     * A key's fingerprint: the SHA-256 of its X.509 encoding, as lowercase hexadecimal.
     *
     * @param key a public key
     * @return its fingerprint
     */
    public static String fingerprint(PublicKey key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isEd25519(Key key) {
        return key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA")
                && key instanceof java.security.interfaces.EdECKey ec && ec.getParams().getName().equals("Ed25519");
    }

    static String checkKeyId(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        if (keyId.isEmpty() || keyId.length() > 256 || !keyId.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a key id is 1 to 256 printable ASCII characters");
        }
        return keyId;
    }

    @Override
    public String toString() {
        return "TrustPolicy[signedBy " + keys.keySet().stream().map(p -> p.substring(0, 16)).toList() + "]";
    }
}
