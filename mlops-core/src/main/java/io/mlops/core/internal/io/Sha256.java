package io.mlops.core.internal.io;

import io.mlops.core.ValidationException;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;

import java.security.MessageDigest;
import java.util.Objects;

/**
 * SHA-256 helpers: new digests, lower-case hex text, and validation of digest strings.
 *
 * <p>Digests come from the JDK's {@link MessageDigest} (via commons-codec), which uses the CPU's SHA
 * instructions where present. This class is stateless and thread-safe; a {@link MessageDigest} it
 * returns is not.
 *
 * @since 0.1.0
 */
public final class Sha256 {

    private Sha256() {
    }

    /**
     * @return a new SHA-256 digest
     */
    public static MessageDigest newDigest() {
        return DigestUtils.getSha256Digest();
    }

    /**
     * Digests bytes.
     *
     * @param bytes the content
     * @return the 64 lower-case hex digits of its SHA-256
     */
    public static String hex(byte[] bytes) {
        return DigestUtils.sha256Hex(bytes);
    }

    /**
     * Finishes a digest.
     *
     * @param digest a SHA-256 digest; it is reset
     * @return the 64 lower-case hex digits
     */
    public static String hex(MessageDigest digest) {
        return Hex.encodeHexString(digest.digest());
    }

    /**
     * Tells whether a string is a SHA-256 in the form this library uses.
     *
     * @param sha256 the candidate, may be {@code null}
     * @return {@code true} for exactly 64 lower-case hex digits
     */
    public static boolean isValid(String sha256) {
        if (sha256 == null || sha256.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = sha256.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a digest string.
     *
     * @param sha256 the candidate
     * @return it, unchanged
     * @throws NullPointerException when it is {@code null}
     * @throws ValidationException when it is not 64 lower-case hex digits
     */
    public static String requireValid(String sha256) {
        Objects.requireNonNull(sha256, "sha256");
        if (!isValid(sha256)) {
            String shown = sha256.length() <= 80 ? sha256 : sha256.substring(0, 77) + "...";
            throw new ValidationException("Invalid SHA-256 '" + shown + "': expected 64 lower-case hex digits");
        }
        return sha256;
    }
}
