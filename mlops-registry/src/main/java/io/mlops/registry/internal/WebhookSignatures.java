package io.mlops.registry.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The webhook signature: {@code t=SECONDS,v1=HEX(HMAC-SHA256(secret, SECONDS + "." + body))}. */
public final class WebhookSignatures {

    private WebhookSignatures() {
    }

    static String sign(byte[] secret, long seconds, byte[] body) {
        return "t=" + seconds + ",v1=" + HexFormat.of().formatHex(mac(secret, seconds, body));
    }

    private static byte[] mac(byte[] secret, long seconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((seconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    /**
     * @see io.mlops.registry.Webhooks#verify
     */
    public static boolean verify(byte[] secret, String header, byte[] body, Instant now, Duration window) {
        if (secret == null || header == null || body == null || header.length() > 512) {
            return false;
        }
        long seconds = -1;
        byte[] given = null;
        for (String part : header.split(",")) {
            String p = part.strip();
            try {
                if (p.startsWith("t=")) {
                    seconds = Long.parseLong(p.substring(2));
                } else if (p.startsWith("v1=") && p.length() == 67) {
                    given = HexFormat.of().parseHex(p.substring(3));
                }
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }
        if (seconds < 0 || given == null || Math.abs(now.getEpochSecond() - seconds) > window.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, seconds, body), given);
    }
}
