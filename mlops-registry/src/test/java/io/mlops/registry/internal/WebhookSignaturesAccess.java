package io.mlops.registry.internal;

/** Signs as the registry does, for the receivers' tests. */
public final class WebhookSignaturesAccess {

    private WebhookSignaturesAccess() {
    }

    public static String sign(byte[] secret, long seconds, byte[] body) {
        return WebhookSignatures.sign(secret, seconds, body);
    }
}
