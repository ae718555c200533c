package io.mlops.registry.internal;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Optional;

/**
 * Ed25519 signatures (RFC 8032) for model versions, by the fastest implementation on the class
 * path: Bouncy Castle's ({@code org.bouncycastle:bcprov-jdk18on}, an optional dependency the
 * application may add) when it is there, else the JDK's own {@code Signature.getInstance("Ed25519")}
 * (pure Java in JDK 17, about 0.6 ms per signature or check here, against about 0.07 ms for Bouncy
 * Castle's: see the README's governance figures). Ed25519 signatures are deterministic, so both give
 * the same bytes for the same key and message, and each verifies the other's (tested). Keys the
 * JDK cannot export (a hardware token's) are signed by their own provider.
 *
 * <p>Thread-safe: no state beyond whether Bouncy Castle is present.
 */
public final class Ed25519 {

    /** The X.509 SubjectPublicKeyInfo prefix of an Ed25519 key: the raw 32-byte key follows it. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final boolean BOUNCY_CASTLE = present() && !"jdk".equals(System.getProperty("mlops.ed25519"));

    private Ed25519() {
    }

    private static boolean present() {
        try {
            Class.forName("org.bouncycastle.math.ec.rfc8032.Ed25519", false, Ed25519.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The implementation in use.
     *
     * @return {@code "bouncycastle"} or {@code "jdk"}
     */
    public static String implementation() {
        return BOUNCY_CASTLE ? "bouncycastle" : "jdk";
    }

    /**
     * Signs a message.
     *
     * @param key an Ed25519 private key
     * @param message the message
     * @return the 64-byte signature
     * @throws GeneralSecurityException when the key cannot sign
     */
    public static byte[] sign(PrivateKey key, byte[] message) throws GeneralSecurityException {
        if (BOUNCY_CASTLE && key instanceof EdECPrivateKey ec) {
            Optional<byte[]> seed = ec.getBytes();
            if (seed.isPresent() && seed.get().length == 32) {
                return BouncyCastleEd25519.sign(seed.get(), message);
            }
        }
        return jdkSign(key, message);
    }

    /**
     * Whether a signature verifies; a malformed signature or key is one that does not.
     *
     * @param key an Ed25519 public key
     * @param message the message
     * @param signature the signature
     * @return whether it verifies
     */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            byte[] raw = BOUNCY_CASTLE ? raw(key) : null;
            if (raw != null) {
                return signature.length == 64 && BouncyCastleEd25519.verify(raw, message, signature);
            }
            return jdkVerify(key, message, signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    static byte[] jdkSign(PrivateKey key, byte[] message) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(message);
        return s.sign();
    }

    static boolean jdkVerify(PublicKey key, byte[] message, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(message);
        return s.verify(signature);
    }

    /** The raw 32-byte key from its X.509 encoding, or null when the key does not export one. */
    private static byte[] raw(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || encoded.length != SPKI_PREFIX.length + 32
                || !Arrays.equals(encoded, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            return null;
        }
        return Arrays.copyOfRange(encoded, SPKI_PREFIX.length, encoded.length);
    }
}
