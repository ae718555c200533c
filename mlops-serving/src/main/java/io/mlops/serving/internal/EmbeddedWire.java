package io.mlops.serving.internal;

import io.mlops.serving.spi.EmbeddedRequest;
import io.mlops.serving.spi.EmbeddedResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request a host's web server handed over ({@link io.mlops.serving.ModelServer#handle}): the
 * response is kept for the host to write. Used by the host's request thread alone.
 */
final class EmbeddedWire implements Wire {

    final EmbeddedRequest request;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private EmbeddedResponse response;

    EmbeddedWire(EmbeddedRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public String path() {
        String path = request.path();
        return path == null ? "" : path;
    }

    @Override
    public String header(String name) {
        return request.header(name);
    }

    @Override
    public Iterable<String> headerNames() {
        return request.headerNames();
    }

    @Override
    public void setHeader(String name, String value) {
        headers.put(name, value);
    }

    @Override
    public void write(int status, String contentType, byte[] body, boolean close, Runnable finished) {
        if (close) {
            headers.put("Connection", "close");
        }
        response = new EmbeddedResponse(status, contentType, headers, body);
        finished.run();
    }

    /** The response written, or null when none was. */
    EmbeddedResponse response() {
        return response;
    }
}
