package io.mlops.grpc.internal;

import io.mlops.serving.spi.EmbeddedRequest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** A gRPC call as the REST request the server answers: a method, a path, headers and a JSON body. */
final class EmbeddedCall implements EmbeddedRequest {

    private final String method;
    private final String path;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;

    EmbeddedCall(String method, String path, Map<String, String> callHeaders, byte[] body) {
        this.method = method;
        this.path = path;
        this.body = body;
        callHeaders.forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
        if (body.length > 0) {
            headers.put("content-type", "application/json");
        }
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public Iterable<String> headerNames() {
        return headers.keySet();
    }

    @Override
    public long contentLength() {
        return body.length;
    }

    @Override
    public InputStream body() {
        return new ByteArrayInputStream(body);
    }
}
