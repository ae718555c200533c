package io.mlops.serving.internal;

/**
 * What one request of the server needs from the HTTP layer it arrived through: Jetty's own
 * ({@link JettyWire}) or a host's web server ({@link EmbeddedWire}). The dispatch, the endpoints,
 * the errors, the metrics and the spans are the same for both.
 */
interface Wire {

    String method();

    /** The path below the server's base, starting with {@code /}. */
    String path();

    /** A request header's first value, or null. */
    String header(String name);

    Iterable<String> headerNames();

    /** Sets a response header (before {@link #write}). */
    void setHeader(String name, String value);

    /**
     * Writes the response, once; {@code finished} runs when it is written or has failed.
     *
     * @param close whether the connection should close after it
     */
    void write(int status, String contentType, byte[] body, boolean close, Runnable finished);
}
