package io.mlops.registry;

import java.util.List;

/**
 * The verdict of {@link ModelRegistry#verifySignatures}: whether the version is trusted under a
 * policy, by which key, and why each signature that did not count did not.
 *
 * @param trusted whether a signature verified under one of the policy's keys over a statement that
 *     names this version as it is stored
 * @param keyFingerprint the trusted key's fingerprint ({@link TrustPolicy#fingerprint}), or null
 * @param problems one line per signature that did not count (none at all: "not signed")
 * @since 0.1.0
 */
public record SignatureCheck(boolean trusted, String keyFingerprint, List<String> problems) {

    /**
     * Copies the problems.
     *
     * @param trusted whether trusted
     * @param keyFingerprint the trusted key's fingerprint, or null
     * @param problems the problems
     */
    public SignatureCheck {
        problems = List.copyOf(problems);
    }
}
