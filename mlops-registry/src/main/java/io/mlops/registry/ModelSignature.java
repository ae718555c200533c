package io.mlops.registry;

/**
 * A signature of a model version, as stored with it: a DSSE envelope (the Dead Simple Signing
 * Envelope, {@code application/vnd.in-toto+json} payload) whose payload is an in-toto Statement v1
 * naming the version ({@code MODEL:VERSION}) and its artifact's SHA-256, with the predicate type
 * {@value #PREDICATE_TYPE} carrying the model, version, size and metadata. Any DSSE verifier with
 * the public key checks it: the signature is Ed25519 over DSSE's pre-authentication encoding
 * {@code "DSSEv1" SP len(type) SP type SP len(payload) SP payload}.
 *
 * @param keyId the signer's key name ({@link ModelSigner#keyId()})
 * @param envelope the DSSE envelope, JSON
 * @since 0.1.0
 */
public record ModelSignature(String keyId, String envelope) {

    /** The in-toto predicate type of the signed statement. */
    public static final String PREDICATE_TYPE = "https://mlops.io/attestation/model-version/v1";
}
