package io.mlops.registry.internal;

import io.mlops.core.Json;
import io.mlops.registry.Webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * One webhook attempt: the JSON body, its HMAC signature header with the time, one POST with a
 * timeout, never following redirects. Thread-safe (the JDK's client is).
 */
final class WebhookSender {

    /** What an attempt got: the HTTP status (0 with no answer) and the error, null after a 2xx. */
    record Outcome(int status, String error) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Clock clock;

    WebhookSender(Clock clock) {
        this.clock = clock;
    }

    Outcome send(URI target, byte[] secret, String eventId, Map<String, Object> body, Duration timeout) {
        byte[] bytes = Json.write(body, 1 << 20, "a webhook body").getBytes(StandardCharsets.UTF_8);
        long now = clock.instant().getEpochSecond();
        try {
            HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout)
                    .header("Content-Type", "application/json").header(Webhooks.ID_HEADER, eventId)
                    .header(Webhooks.SIGNATURE_HEADER, WebhookSignatures.sign(secret, now, bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = r.statusCode();
            return new Outcome(status, status / 100 == 2 ? null : "HTTP " + status);
        } catch (IOException ex) {
            return new Outcome(0, ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Outcome(0, "interrupted");
        }
    }
}
