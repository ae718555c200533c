package io.mlops.serving.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.core.Json;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The errors Jetty answers itself (a malformed request line or header, an oversized header, a
 * request that fails before it reaches the endpoints) in the library's JSON, with a fixed message
 * per status: never the parser's words, a class name or a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);
    private static final ObjectMapper JSON = Json.mapper();

    static String message(int status) {
        return switch (status) {
            case 400 -> "bad request: the HTTP request is malformed";
            case 404 -> "no such endpoint";
            case 405 -> "method not allowed";
            case 408 -> "request timed out";
            case 411 -> "a Content-Length is required";
            case 413 -> "request too large";
            case 414 -> "request URI too long";
            case 415 -> "unsupported media type";
            case 417 -> "expectation failed";
            case 431 -> "request header fields too large";
            case 500 -> "internal error";
            case 501 -> "not implemented";
            case 503 -> "service unavailable";
            case 505 -> "HTTP version not supported";
            default -> "HTTP error " + status;
        };
    }

    static byte[] body(int status, String errorId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message(status));
        if (errorId != null) {
            body.put("error_id", errorId);
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a map of strings always writes
        }
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true; // every method gets the JSON body
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String errorId = null;
        if (code >= 500 && !clientCaused(cause)) {
            errorId = UUID.randomUUID().toString();
            LOG.error("Request {} {} failed in the HTTP layer with {} (error id {}): {}", request.getMethod(),
                    request.getHttpURI().getPath(), code, errorId, message, cause);
        } else if (code >= 500) {
            LOG.debug("Request {} {} answered {} for the client's doing: {}", request.getMethod(), request.getHttpURI().getPath(),
                    code, message, cause);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, errorId)), callback);
    }

    /**
     * Whether a failure in the HTTP layer is the client's doing (a malformed message, an unsupported
     * HTTP version, a connection it closed mid-request): not a server error, so not logged as one.
     */
    static boolean clientCaused(Throwable cause) {
        return cause instanceof org.eclipse.jetty.http.HttpException || cause instanceof java.io.IOException;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, null));
    }
}
