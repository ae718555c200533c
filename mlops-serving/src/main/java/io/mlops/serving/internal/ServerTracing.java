package io.mlops.serving.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.util.Map;

/**
 * The server's spans, through the OpenTelemetry API the application gave (nothing at all with the
 * default no-op): a SERVER span per inference request ({@code /predict}, {@code /batch_predict},
 * the Open Inference Protocol's infer), a child of the caller's span when the request carries a
 * W3C {@code traceparent}, and an INTERNAL span per load of a version from the registry. Thread-safe.
 */
final class ServerTracing {

    static final AttributeKey<String> MODEL = AttributeKey.stringKey("mlops.model.name");
    static final AttributeKey<String> VERSION = AttributeKey.stringKey("mlops.model.version");
    static final AttributeKey<String> ALIAS = AttributeKey.stringKey("mlops.model.alias");
    static final AttributeKey<String> ROLE = AttributeKey.stringKey("mlops.model.role");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    /** The traced endpoints and their routes (semantic conventions: a template, not the path). */
    private static final Map<String, String> ROUTES = Map.of("predict", "/predict", "batch_predict", "/batch_predict",
            "v2_infer", "/v2/models/{model_name}/infer");

    private static final TextMapGetter<Wire> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Wire request) {
            return request.headerNames();
        }

        @Override
        public String get(Wire request, String key) {
            return request == null ? null : request.header(key);
        }
    };

    private final Tracer tracer; // null: tracing is off
    private final TextMapPropagator propagator;
    private final String model;
    private final String primaryAlias;
    private final String splitAlias;

    ServerTracing(OpenTelemetry otel, String model, String primaryAlias, String splitAlias) {
        boolean off = otel == null || otel == OpenTelemetry.noop();
        this.tracer = off ? null : otel.getTracer("io.mlops.serving");
        this.propagator = off ? null : otel.getPropagators().getTextMapPropagator();
        this.model = model;
        this.primaryAlias = primaryAlias;
        this.splitAlias = splitAlias;
    }

    /** Starts a request's span, the caller's context as parent; null when off or the endpoint is not traced. */
    Span startRequest(Wire request, String endpoint) {
        String route = ROUTES.get(endpoint);
        if (tracer == null || route == null) {
            return null;
        }
        Context parent = propagator.extract(Context.root(), request, HEADERS);
        return tracer.spanBuilder(request.method() + " " + route).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, request.method()).setAttribute(ROUTE, route).setAttribute(MODEL, model)
                .startSpan();
    }

    /** Ends a request's span with the version that answered, its role, and the status. */
    void endRequest(Span span, int status, String version, String primaryVersion) {
        if (span == null) {
            return;
        }
        span.setAttribute(STATUS, (long) status);
        if (version != null && !version.isEmpty()) {
            boolean primary = version.equals(primaryVersion);
            span.setAttribute(VERSION, version);
            span.setAttribute(ROLE, primary ? "primary" : "canary");
            String alias = primary ? primaryAlias : splitAlias;
            if (alias != null) {
                span.setAttribute(ALIAS, alias);
            }
        }
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    /** Starts the span of a load from the registry; null when off. */
    Span startLoad(String version, String alias) {
        if (tracer == null) {
            return null;
        }
        return tracer.spanBuilder("mlops.model.load").setSpanKind(SpanKind.INTERNAL).setAttribute(MODEL, model)
                .setAttribute(VERSION, version).setAttribute(ALIAS, alias).startSpan();
    }

    /** Ends a load's span, recording its failure. */
    static void endLoad(Span span, Throwable failure) {
        if (span == null) {
            return;
        }
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        }
        span.end();
    }

    /** The current span's trace id, or null when there is none (tracing off, or no span). */
    static String currentTraceId() {
        var context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }
}
