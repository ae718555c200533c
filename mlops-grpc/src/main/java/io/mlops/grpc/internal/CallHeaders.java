package io.mlops.grpc.internal;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Carries the call metadata the REST request needs — {@code authorization}, {@code traceparent},
 * {@code tracestate} — into the call's context, as headers.
 */
public final class CallHeaders implements ServerInterceptor {

    static final Context.Key<Map<String, String>> HEADERS = Context.key("mlops-headers");
    private static final String[] PASSED = {"authorization", "traceparent", "tracestate"};

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata metadata, ServerCallHandler<Q, R> next) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : PASSED) {
            String value = metadata.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
            if (value != null) {
                headers.put(name, value);
            }
        }
        return Contexts.interceptCall(Context.current().withValue(HEADERS, Map.copyOf(headers)), call, metadata, next);
    }
}
