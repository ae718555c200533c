package io.mlops.serving.spi;

import java.io.IOException;
import java.io.InputStream;

/**
 * One HTTP request that a web server the application already runs (Spring MVC, a servlet
 * container, ...) hands to {@link io.mlops.serving.ModelServer#handle(EmbeddedRequest)}. The host
 * adapts its own request type to this; the server never sees the host's classes.
 *
 * <p>Implementations are used by one thread, the one calling {@code handle}.
 *
 * @since 0.1.0
 */
public interface EmbeddedRequest {

    /**
     * @return the method, such as {@code POST}
     */
    String method();

    /**
     * @return the path below the base path the host mounted the server at, starting with
     *     {@code /} (such as {@code /predict} or {@code /v2/models/iris/infer}), not decoded
     *     further than the host does
     */
    String path();

    /**
     * @param name a header name, case-insensitive
     * @return the header's first value, or null
     */
    String header(String name);

    /**
     * @return the request's header names (what trace propagators may ask for)
     */
    Iterable<String> headerNames();

    /**
     * @return the body's announced length, or -1 when the host does not know it
     */
    long contentLength();

    /**
     * The body, read once. The server reads at most its {@code maxRequestBytes} plus one byte from
     * it, block by block, so a body over the limit is refused without being held in memory.
     *
     * @return the body as a stream
     * @throws IOException when the host cannot give it
     */
    InputStream body() throws IOException;
}
