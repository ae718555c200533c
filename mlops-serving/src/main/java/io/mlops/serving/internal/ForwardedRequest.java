package io.mlops.serving.internal;

import io.mlops.serving.spi.EmbeddedRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** A front request as the model's server sees it: the same method, headers and body, its own path. */
final class ForwardedRequest implements EmbeddedRequest {
    private final Request request;
    private final String path;
    private final byte[] body;

    ForwardedRequest(Request request, String path, byte[] body) {
        this.request = request;
        this.path = path;
        this.body = body;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        String query = request.getHttpURI().getQuery();
        return query == null ? path : path + "?" + query;
    }

    @Override
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public Iterable<String> headerNames() {
        List<String> names = new ArrayList<>();
        for (HttpField f : request.getHeaders()) {
            names.add(f.getName());
        }
        return names;
    }

    @Override
    public long contentLength() {
        return body.length;
    }

    @Override
    public InputStream body() {
        return new java.io.ByteArrayInputStream(body);
    }
}
