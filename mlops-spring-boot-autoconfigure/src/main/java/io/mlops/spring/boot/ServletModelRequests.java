package io.mlops.spring.boot;

import io.mlops.serving.ModelServer;
import io.mlops.serving.spi.EmbeddedRequest;
import io.mlops.serving.spi.EmbeddedResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.HandlerMapping;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;

/**
 * The prediction endpoints inside the application's Spring MVC: each request under
 * {@code mlops.serving.path} is handed to {@link ModelServer#handle(EmbeddedRequest)} on the
 * servlet container's request thread, and its answer written back as it is. Thread-safe.
 */
final class ServletModelRequests implements HttpRequestHandler {

    private final ModelServer server;

    ServletModelRequests(ModelServer server) {
        this.server = server;
    }

    @Override
    public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EmbeddedResponse r = server.handle(new Adapted(request));
        response.setStatus(r.status());
        response.setContentType(r.contentType());
        r.headers().forEach(response::setHeader);
        response.setContentLength(r.body().length);
        response.getOutputStream().write(r.body());
    }

    /** A servlet request as the server sees it: the path below the base path, its headers and body. */
    private record Adapted(HttpServletRequest request) implements EmbeddedRequest {
        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            Object within = request.getAttribute(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE);
            return within == null ? "/" : "/" + within;
        }

        @Override
        public String header(String name) {
            return request.getHeader(name);
        }

        @Override
        public Iterable<String> headerNames() {
            return Collections.list(request.getHeaderNames());
        }

        @Override
        public long contentLength() {
            return request.getContentLengthLong();
        }

        @Override
        public InputStream body() throws IOException {
            return request.getInputStream();
        }
    }
}
