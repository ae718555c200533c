package io.mlops.serving.internal;

import io.mlops.serving.spi.EmbeddedRequest;
import io.mlops.serving.spi.EmbeddedResponse;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every request of the server, top to bottom, whichever {@link Wire} it came through: refuse it
 * while the server is not serving (503), route it (404), check its method (405) and token (401),
 * read its body when it has one, run its handler with the request's span current, answer; never
 * lets an exception reach the HTTP layer. Thread-safe.
 */
final class Dispatcher {

    /** How a body arrives: Jetty's without holding a thread, a host's from its stream. */
    interface BodyRead {
        void read(Exchange ex, long max, Duration requestTimeout, BodyReader.Then then) throws HttpError;
    }

    private final Routes routes;
    private final ServerSettings.Listener l;
    private final ServerSettings s;
    private final Deployments deployments;
    private final PrometheusMetrics metrics;
    private final ServingEvents events;
    private final BodyBudget bodies;
    private final io.mlops.core.AccessTokens tokens;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** 0 before start, 1 serving, 2 draining or closed. */
    private volatile int state;

    Dispatcher(ServerSettings s, Routes routes, Deployments deployments, PrometheusMetrics metrics, ServingEvents events) {
        this.s = s;
        this.l = s.listener();
        this.routes = routes;
        this.deployments = deployments;
        this.metrics = metrics;
        this.events = events;
        this.tokens = l.tokens();
        this.bodies = new BodyBudget(l.maxBufferedBytes());
    }

    /** Requests are served from now on. */
    void open() {
        state = 1;
    }

    /** New requests get 503 from now on; waits up to {@code timeout} for those in progress. */
    void drain(Duration timeout) {
        state = 2;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String primaryVersion() {
        Deployments.Deployed d = deployments.primary();
        return d == null ? null : d.version();
    }

    /** Answers a request a host's web server handed over, on the caller's thread. */
    EmbeddedResponse handle(EmbeddedRequest request) {
        EmbeddedWire wire = new EmbeddedWire(request);
        dispatch(wire, (ex, max, timeout, then) -> StreamBodyReader.read(ex, request, max, timeout, then));
        EmbeddedResponse response = wire.response();
        if (response == null) { // every path answers; this is a guard, not a case
            throw new IllegalStateException("the request " + wire.method() + " " + wire.path() + " was not answered");
        }
        return response;
    }

    /** Answers one request; with Jetty's body reader the answer may come later, on another thread. */
    void dispatch(Wire wire, BodyRead bodyRead) {
        inFlight.incrementAndGet();
        String path = wire.path();
        Optional<Routes.Match> match = routes.match(path);
        Exchange ex = new Exchange(wire, match.map(m -> m.route().endpoint()).orElse("other"), metrics, inFlight,
                this::primaryVersion, s.monitor(), bodies, events);
        ex.span = events.startRequest(wire, ex.endpoint);
        try {
            int now = state;
            if (now != 1) {
                wire.setHeader("Retry-After", "1");
                ex.send(503, "application/json", Exchange.jsonBytes(Map.of("error", now == 0 ? "the server is starting"
                        : "the server is shutting down")), now == 2);
                return;
            }
            Routes.Match m = match.orElseThrow(() -> new HttpError(404, "no such endpoint: " + path));
            Routes.Route route = m.route();
            if (!wire.method().equals(route.method())) {
                wire.setHeader("Allow", route.method());
                throw new HttpError(405, "method " + wire.method() + " not allowed; use " + route.method());
            }
            if (route.authorized()) {
                authorize(wire);
            }
            if (route.body()) {
                bodyRead.read(ex, l.maxRequestBytes(), l.requestTimeout(), body -> {
                    try (io.opentelemetry.context.Scope traced = ex.makeCurrent()) {
                        ex.reply(route.handler().handle(new Routes.Call(m.groups(), body, ex.started)));
                    }
                });
            } else {
                try (io.opentelemetry.context.Scope traced = ex.makeCurrent()) {
                    ex.reply(route.handler().handle(new Routes.Call(m.groups(), null, ex.started)));
                }
            }
        } catch (HttpError e) {
            ex.error(e);
        } catch (RuntimeException | Error e) {
            ex.internalError(e);
        }
    }

    private void authorize(Wire wire) throws HttpError {
        if (!tokens.grants(io.mlops.core.AccessTokens.Role.READER)) {
            return;
        }
        // constant time over every token: AccessTokens compares digests with MessageDigest.isEqual
        if (!tokens.allows(io.mlops.core.AccessTokens.bearer(wire.header("Authorization")), io.mlops.core.AccessTokens.Role.READER)) {
            throw new HttpError(401, "missing or invalid bearer token");
        }
    }
}
