package io.mlops.serving;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Exits 0 when a server's {@code /health} answers 200 within 3 seconds, else 1: the container
 * HEALTHCHECK of the generated Dockerfile, which needs no tool beyond the JRE in the image.
 *
 * @since 0.1.0
 */
public final class HealthCheck {

    private HealthCheck() {
    }

    /**
     * @param args the health URL (default {@code http://127.0.0.1:8080/health})
     */
    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080/health";
        try {
            HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.discarding());
            System.exit(r.statusCode() == 200 ? 0 : 1);
        } catch (Exception e) {
            System.exit(1);
        }
    }
}
