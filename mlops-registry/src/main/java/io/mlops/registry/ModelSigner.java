package io.mlops.registry;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.Objects;

/**
 * Signs model versions ({@link ModelRegistry#sign}): a key and the name it is known by. The key
 * never leaves the signer; the registry hands it the bytes to sign (DSSE's pre-authentication
 * encoding of the version's in-toto statement).
 *
 * @since 0.1.0
 */
public interface ModelSigner {

    /**
     * The signer's key name, recorded as the signature's DSSE {@code keyid}: a hint for verifiers,
     * never trusted on its own (a policy trusts keys, not names).
     *
     * @return 1 to 256 printable characters
     */
    String keyId();

    /**
     * Signs a message.
     *
     * @param message the bytes to sign
     * @return the signature
     * @throws GeneralSecurityException when the key cannot sign
     */
    byte[] sign(byte[] message) throws GeneralSecurityException;

    /**
     * Reads an Ed25519 private key in PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}, as
     * {@code openssl genpkey -algorithm ed25519} writes it) or the Base64 of its PKCS#8 encoding.
     *
     * @param text the key's text, at most 4,096 characters
     * @return the key
     * @throws IllegalArgumentException when the text is not an Ed25519 private key (the message
     *     never quotes the text)
     */
    static PrivateKey readPrivateKey(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > 4_096) {
            throw new IllegalArgumentException("a private key's text is at most 4,096 characters");
        }
        String body = text.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            PrivateKey k = java.security.KeyFactory.getInstance("Ed25519").generatePrivate(
                    new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(body)));
            if (!TrustPolicy.isEd25519(k)) {
                throw new IllegalArgumentException("not an Ed25519 private key");
            }
            return k;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key (PKCS#8 PEM or Base64)");
        }
    }

    /**
     * An Ed25519 signer (RFC 8032): the JDK's own {@code Signature.getInstance("Ed25519")}, or
     * Bouncy Castle's when the application has {@code org.bouncycastle:bcprov-jdk18on} on the class
     * path (an optional dependency: about nine times faster here, the same signature bytes).
     *
     * <pre>{@code
     * KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
     * registry.sign("churn", "1.4.0", ModelSigner.ed25519(keys.getPrivate(), "release-2026"));
     * }</pre>
     *
     * @param key an Ed25519 private key
     * @param keyId its name
     * @return the signer
     * @throws IllegalArgumentException when the key is not an Ed25519 key or the name is unusable
     */
    static ModelSigner ed25519(PrivateKey key, String keyId) {
        Objects.requireNonNull(key, "key");
        if (!TrustPolicy.isEd25519(key)) {
            throw new IllegalArgumentException("an Ed25519 private key is needed, not " + key.getAlgorithm());
        }
        String id = TrustPolicy.checkKeyId(keyId);
        return new ModelSigner() {
            @Override
            public String keyId() {
                return id;
            }

            @Override
            public byte[] sign(byte[] message) throws GeneralSecurityException {
                return io.mlops.registry.internal.Ed25519.sign(key, message);
            }

            @Override
            public String toString() {
                return "ModelSigner[ed25519, " + id + "]";
            }
        };
    }
}
