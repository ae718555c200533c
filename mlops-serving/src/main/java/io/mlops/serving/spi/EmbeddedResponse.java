package io.mlops.serving.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link io.mlops.serving.ModelServer#handle(EmbeddedRequest)} answers, for the host to write:
 * the status, the content type, the headers to add ({@code Allow}, {@code WWW-Authenticate},
 * {@code Retry-After}, {@code Connection: close}) and the body. The body is always complete: the
 * host writes it as it is.
 *
 * @param status the HTTP status
 * @param contentType the body's content type
 * @param headers further headers to set
 * @param body the body
 * @since 0.1.0
 */
public record EmbeddedResponse(int status, String contentType, Map<String, String> headers, byte[] body) {

    /**
     * Checks and copies.
     *
     * @param status the HTTP status
     * @param contentType the body's content type
     * @param headers further headers to set
     * @param body the body
     */
    public EmbeddedResponse {
        Objects.requireNonNull(contentType, "contentType");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }
}
