package io.mlops.serving.internal;

import io.mlops.core.MlopsException;
import io.mlops.serving.ModelServer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link ModelServer} on Jetty 12's core API: lifecycle, dispatch and the HTTP side of each
 * endpoint. Connections are read without blocking a thread (Jetty's selector): a client that sends
 * its request slowly, or not at all, holds a connection but never a request thread, and request
 * bodies are read the same way. Silent connections close after the idle timeout, bodies must
 * arrive within the request timeout, and one client address holds at most a set number of
 * connections ({@link ClientConnectionLimit}). Every error a client sees is the library's JSON
 * ({@link JsonErrorHandler} for what Jetty answers itself).
 */
public final class JettyModelServer implements ModelServer {

    private static final Logger LOG = LoggerFactory.getLogger(JettyModelServer.class);

    private final ServerSettings s;
    private final ServerSettings.Listener l;
    private final Deployments deployments;
    /** The API's OpenAPI 3 description, shipped in the jar. */
    private static final byte[] OPENAPI = resource("/io/mlops/serving/openapi.json");
    private final PredictEndpoints endpoints;
    private final ShadowTraffic shadow; // null without a shadow
    private final CanaryController canary; // null without a canary analysis
    private final OipEndpoints oip;
    private final Routes routes;
    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final ServingEvents events;
    private final byte[] token;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final BodyBudget bodies;
    private Server server;
    private ServerConnector connector;
    private long startedNanos;
    private volatile boolean draining;
    private boolean closed;

    /**
     * Creates the jetty model server.
     *
     * @param settings what the builder collected
     */
    public JettyModelServer(ServerSettings settings) {
        this.s = settings;
        this.events = new ServingEvents(settings.modelName(), new ServerTracing(settings.openTelemetry(), settings.modelName(),
                settings.source() instanceof ServerSettings.FromRegistry r ? r.alias() : null,
                settings.split() == null ? null : settings.split().alias()));
        this.deployments = new Deployments(settings, events);
        this.shadow = settings.shadowAlias() == null ? null : new ShadowTraffic(deployments, settings.monitor());
        this.canary = settings.analysis() == null ? null : new CanaryController(settings.analysis(), settings, deployments);
        Inference inference = new Inference(settings, shadow, canary);
        this.endpoints = new PredictEndpoints(settings, deployments, inference, canary, shadow);
        this.oip = new OipEndpoints(settings, deployments, inference);
        this.l = settings.listener();
        this.token = l.bearerToken() == null ? null : ("Bearer " + l.bearerToken()).getBytes(StandardCharsets.UTF_8);
        this.bodies = new BodyBudget(l.maxBufferedBytes());
        this.routes = routes();
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public synchronized ModelServer start() {
        if (server != null || closed) {
            throw new IllegalStateException("the server is already started");
        }
        deployments.start();
        if (canary != null) {
            deployments.onSplitChange(canary::checkSoon);
            canary.start();
        }
        // request threads, plus Jetty's acceptor and selector
        QueuedThreadPool pool = new QueuedThreadPool(l.threads() + 2, Math.min(l.threads() + 2, 4), 60_000);
        pool.setName("mlops-serving");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        Server jetty = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setIdleTimeout(l.idleTimeout().toMillis());
        ServerConnector c = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        c.setHost(l.host());
        c.setPort(l.port());
        c.setIdleTimeout(l.idleTimeout().toMillis());
        c.setAcceptQueueSize(1024);
        if (l.maxConnectionsPerClient() > 0) {
            c.addBean(new ClientConnectionLimit(l.maxConnectionsPerClient()));
        }
        jetty.addConnector(c);
        jetty.setHandler(new Dispatch());
        jetty.setErrorHandler(new JsonErrorHandler());
        try {
            jetty.start();
        } catch (Exception e) {
            stopQuietly(jetty); // a failed start still holds selectors, threads and sockets
            if (canary != null) {
                canary.close();
            }
            deployments.close();
            throw new MlopsException("Cannot listen on " + l.host() + ":" + l.port() + ": " + e.getMessage(), e);
        }
        server = jetty;
        connector = c;
        startedNanos = System.nanoTime();
        LOG.info("Serving {} {} on {}", s.modelName(), modelVersion(), uri());
        return this;
    }

    private static void stopQuietly(Server jetty) {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.debug("Stopping a server that failed to start: {}", e.toString());
        }
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public URI uri() {
        String host = l.host().equals("0.0.0.0") ? "127.0.0.1" : l.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    @Override
    public String modelVersion() {
        Deployments.Deployed d = deployments.primary();
        return d == null ? null : d.version();
    }

    @Override
    public String canaryVersion() {
        Deployments.Deployed d = deployments.split();
        return d == null ? null : d.version();
    }

    @Override
    public java.util.Optional<io.mlops.serving.Rollout> rollout() {
        return canary == null ? java.util.Optional.empty() : java.util.Optional.of(canary.rollout());
    }

    @Override
    public io.mlops.serving.Rollout checkRollout() {
        if (canary == null) {
            throw new IllegalStateException("this server was built without a canary analysis");
        }
        if (server == null) {
            throw new IllegalStateException("the server is not started");
        }
        return canary.check();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (canary != null) {
            canary.close();
        }
        deployments.close();
        if (server == null) {
            return;
        }
        // New requests get 503 meanwhile; requests in progress finish.
        draining = true;
        long deadline = System.nanoTime() + l.drainTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopQuietly(server);
        if (shadow != null) {
            shadow.close();
        }
        deployments.release();
        LOG.info("Stopped serving {}", s.modelName());
    }

    @Override
    public String toString() {
        return "ModelServer[" + s.modelName() + " " + modelVersion() + (server == null ? "" : " on " + uri()) + "]";
    }

    @Override
    public AutoCloseable addListener(io.mlops.serving.spi.ServingListener listener) {
        return events.add(listener);
    }

    // ------------------------------------------------------------------ requests

    /** The endpoints, each registered once: name, method, path, token, body, handler. */
    private Routes routes() {
        String model = "/v2/models/([^/]+)(?:/versions/([^/]+))?";
        long maxElements = l.maxRequestElements();
        return new Routes()
                .get("health", "/health", false, c -> Routes.Reply.json(200, endpoints.health(System.nanoTime() - startedNanos,
                        metrics.requests(), metrics.errorRate())))
                .post("predict", "/predict", true, c -> endpoints.predict(JsonBody.parse(c.body(), maxElements), c.started()))
                .post("batch_predict", "/batch_predict", true,
                        c -> endpoints.batchPredict(JsonBody.parse(c.body(), maxElements), c.started()))
                .get("model_info", "/model_info", true, c -> Routes.Reply.json(200, endpoints.modelInfo()))
                .get("openapi", "/openapi.json", false, c -> Routes.Reply.raw("application/json", OPENAPI))
                .get("metrics", "/metrics", true, c -> Routes.Reply.raw("text/plain; version=0.0.4; charset=utf-8",
                        (metrics.render() + deployments.failures().render() + deployments.featureChanges().render())
                                .getBytes(StandardCharsets.UTF_8)))
                // the Open Inference Protocol: health without a token, metadata and inference with it
                .get("v2_server", "/v2/?", true, c -> Routes.Reply.json(200, oip.server()))
                .get("v2_live", "/v2/health/live", false, c -> Routes.Reply.json(200, oip.live()))
                .get("v2_ready", "/v2/health/ready", false, c -> oip.ready())
                .get("v2_model", model + "/?", true, c -> Routes.Reply.json(200, oip.model(c.group(1), c.group(2))))
                .get("v2_model_ready", model + "/ready/?", true, c -> Routes.Reply.json(200, oip.modelReady(c.group(1),
                        c.group(2))))
                .post("v2_infer", model + "/infer/?", true, c -> oip.infer(c.group(1), c.group(2), c.body(), maxElements,
                        c.started()));
    }

    /**
     * Every request, top to bottom: route it (404), check its method (405) and token (401), read its
     * body without holding a thread when it has one, run its handler, answer; never lets an
     * exception reach Jetty.
     */
    private final class Dispatch extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            inFlight.incrementAndGet();
            String path = request.getHttpURI().getPath() == null ? "" : request.getHttpURI().getPath();
            Optional<Routes.Match> match = routes.match(path);
            Exchange ex = new Exchange(request, response, callback, match.map(m -> m.route().endpoint()).orElse("other"),
                    metrics, inFlight, JettyModelServer.this::modelVersion, s.monitor(), bodies, events);
            ex.span = events.startRequest(request, ex.endpoint);
            try {
                if (draining) {
                    ex.send(503, "application/json", Exchange.jsonBytes(Map.of("error", "the server is shutting down")), true);
                    return true;
                }
                Routes.Match m = match.orElseThrow(() -> new HttpError(404, "no such endpoint: " + path));
                Routes.Route route = m.route();
                if (!request.getMethod().equals(route.method())) {
                    response.getHeaders().put(HttpHeader.ALLOW, route.method());
                    throw new HttpError(405, "method " + request.getMethod() + " not allowed; use " + route.method());
                }
                if (route.authorized()) {
                    authorize(request);
                }
                if (route.body()) {
                    BodyReader.read(ex, l.maxRequestBytes(), l.requestTimeout(), body -> {
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
            return true;
        }
    }

    private static byte[] resource(String name) {
        try (java.io.InputStream in = JettyModelServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + name);
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void authorize(Request request) throws HttpError {
        if (token == null) {
            return;
        }
        String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        // constant time: the comparison does not stop at the first differing byte
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(401, "missing or invalid bearer token");
        }
    }
}
