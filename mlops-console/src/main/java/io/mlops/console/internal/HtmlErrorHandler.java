package io.mlops.console.internal;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The errors Jetty answers itself (a malformed request line, URI or header, a header or URI over
 * the limits, a bad {@code Content-Length}) as the console's own small page, with the same
 * security headers as every other page (the Content-Security-Policy among them) and only the
 * status's standard reason: never the parser's words, a class name or a stack trace.
 */
final class HtmlErrorHandler extends ErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HtmlErrorHandler.class);

    static byte[] page(int status, String errorId) {
        String reason = HttpStatus.getMessage(status);
        return Html.page(status + " " + reason, "<p class=\"bad\">The request could not be answered: " + Html.esc(reason) + "."
                + (errorId == null ? "" : " The server's log has the details under error id " + errorId + ".")
                + "</p><p><a href=\"/\">Overview</a></p>").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String errorId = null;
        // a malformed message, an unsupported HTTP version or a connection the client closed is not a server error
        boolean clientCaused = cause instanceof org.eclipse.jetty.http.HttpException || cause instanceof java.io.IOException;
        if (code >= 500 && !clientCaused) {
            errorId = UUID.randomUUID().toString();
            LOG.error("Console request {} {} failed in the HTTP layer with {} (error id {}): {}", request.getMethod(),
                    request.getHttpURI().getPath(), code, errorId, message, cause);
        }
        JettyConsole.secure(response.getHeaders());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.write(true, ByteBuffer.wrap(page(code, errorId)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        JettyConsole.secure(fields);
        fields.put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        return ByteBuffer.wrap(page(status, null));
    }
}
