package io.mlops.serving.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.core.Json;
import io.mlops.monitor.ModelMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One request of {@link JettyModelServer}, through whichever {@link Wire} it arrived: its endpoint
 * (fixed when it is routed), and the one completion of its response — recorded in the metrics
 * under the version that answered, the request counted out of those in flight, its body's memory
 * given back.
 */
final class Exchange {

    private static final Logger LOG = LoggerFactory.getLogger(JettyModelServer.class);
    private static final ObjectMapper JSON = Json.mapper();

    final Wire wire;
    final long started = System.nanoTime();
    final AtomicBoolean done = new AtomicBoolean();
    final String endpoint;
    private final PrometheusMetrics metrics;
    private final AtomicInteger inFlight;
    private final Supplier<String> primaryVersion;
    private final ModelMonitor monitor;
    private final BodyBudget budget;
    private final ServingEvents events;
    /** The request's span, or null when it is not traced; set once routed, before any reply. */
    io.opentelemetry.api.trace.Span span;
    /** The body memory this request holds in the budget; guarded by itself with {@link #bodyClosed}. */
    private long reserved;
    private boolean bodyClosed;

    Exchange(Wire wire, String endpoint, PrometheusMetrics metrics, AtomicInteger inFlight, Supplier<String> primaryVersion,
             ModelMonitor monitor, BodyBudget budget, ServingEvents events) {
        this.wire = wire;
        this.endpoint = endpoint;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.primaryVersion = primaryVersion;
        this.monitor = monitor;
        this.budget = budget;
        this.events = events;
    }

    /** Reserves body memory in the server's budget; false once the budget is spent or the request has ended. */
    synchronized boolean reserveBody(long bytes) {
        if (bytes == 0) {
            return !bodyClosed;
        }
        if (bodyClosed || !budget.reserve(bytes)) {
            return false;
        }
        reserved += bytes;
        return true;
    }

    /** Gives the body's memory back (the response is being sent); later reservations fail. */
    private synchronized void releaseBody() {
        bodyClosed = true;
        budget.release(reserved);
        reserved = 0;
    }

    /** Makes the request's span current on this thread (what the handler logs carries its trace id). */
    io.opentelemetry.context.Scope makeCurrent() {
        return span == null ? io.opentelemetry.context.Scope.noop() : span.makeCurrent();
    }

    /** A body as JSON bytes (plain maps and strings: it cannot fail). */
    static byte[] jsonBytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the response once; later calls (a timeout racing the body) do nothing. */
    void send(int status, String contentType, byte[] body, boolean close) {
        send(status, contentType, body, close, null);
    }

    /** The 413 of a body over the limit. */
    static HttpError tooLarge(long max) {
        return new HttpError(413, "request body over " + max + " bytes");
    }

    /** Answers 503 with {@code Retry-After}, closing: the body budget is spent. */
    void budgetSpent() {
        wire.setHeader("Retry-After", "1");
        send(503, "application/json", jsonBytes(Map.of("error", "the server is receiving too many request bodies at once;"
                + " retry shortly")), true);
    }

    /** Answers 408, closing: the body did not arrive in time. */
    void bodyTimedOut(java.time.Duration requestTimeout) {
        send(408, "application/json", jsonBytes(Map.of("error", "the request body did not arrive within "
                + requestTimeout.toMillis() + " ms")), true);
    }

    /** Answers 400, closing: the body could not be read. */
    void bodyUnreadable() {
        send(400, "application/json", jsonBytes(Map.of("error", "the request body could not be read")), true);
    }

    /** Sends an endpoint's reply. */
    void reply(Routes.Reply r) {
        if (r.raw() != null) {
            send(r.status(), r.contentType(), r.raw(), false, r.version());
        } else {
            json(r.status(), r.json(), r.version());
        }
    }

    /** Sends the response once, counted in the metrics under the version that answered (else the primary's). */
    private void send(int status, String contentType, byte[] body, boolean close, String version) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        releaseBody();
        String primary = primaryVersion.get();
        String answered = version != null ? version : primary;
        long nanos = System.nanoTime() - started;
        metrics.record(endpoint, answered, status, nanos);
        events.request(endpoint, answered, primary, status, nanos, span);
        wire.write(status, contentType, body, close, inFlight::decrementAndGet);
    }

    private void json(int status, Object body, String version) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // a predictor's label that JSON cannot hold: the server's fault, not the client's
            internalError(new ModelFailure(version, new IllegalStateException("the response cannot be written as JSON: "
                    + e.getOriginalMessage(), e)));
            return;
        }
        send(status, "application/json", bytes, false, version);
    }

    void error(HttpError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        if (e.field != null) {
            body.put("field", e.field);
        }
        if (e.status == 401) {
            wire.setHeader("WWW-Authenticate", "Bearer");
        }
        json(e.status, body, null);
    }

    /** A 500 that says only its error id; the log has the stack trace, the monitor the error, under the failing version. */
    void internalError(Throwable e) {
        String version = null;
        if (e instanceof ModelFailure f) {
            version = f.version();
            e = f.failure();
        }
        String id = UUID.randomUUID().toString();
        LOG.error("Request {} {} failed (error id {})", wire.method(), wire.path(), id, e);
        if (monitor != null) {
            try {
                monitor.error(version != null ? version : primaryVersion.get(), e.getClass().getSimpleName() + ": "
                        + e.getMessage());
            } catch (RuntimeException logging) {
                LOG.warn("Could not log error {} to the monitor: {}", id, logging.toString());
            }
        }
        send(500, "application/json", JsonErrorHandler.body(500, id), false, version);
    }
}
