package io.mlops.serving.internal;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/** A request that arrived through the server's own Jetty connector. */
final class JettyWire implements Wire {

    final Request request;
    private final Response response;
    private final Callback callback;

    JettyWire(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        String path = request.getHttpURI().getPath();
        return path == null ? "" : path;
    }

    @Override
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public Iterable<String> headerNames() {
        return request.getHeaders().getFieldNamesCollection();
    }

    @Override
    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    @Override
    public void write(int status, String contentType, byte[] body, boolean close, Runnable finished) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        if (close) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(body), Callback.from(() -> {
            finished.run();
            callback.succeeded();
        }, x -> {
            finished.run();
            callback.failed(x);
        }));
    }
}
