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
    private final PrometheusMetrics metrics = new PrometheusMetrics();
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
        this.deployments = new Deployments(settings);
        this.shadow = settings.shadowAlias() == null ? null : new ShadowTraffic(deployments, settings.monitor());
        this.canary = settings.analysis() == null ? null : new CanaryController(settings.analysis(), settings, deployments);
        this.endpoints = new PredictEndpoints(settings, deployments, shadow, canary);
        this.oip = new OipEndpoints(settings, deployments, endpoints);
        this.l = settings.listener();
        this.token = l.bearerToken() == null ? null : ("Bearer " + l.bearerToken()).getBytes(StandardCharsets.UTF_8);
        this.bodies = new BodyBudget(l.maxBufferedBytes());
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

    // ------------------------------------------------------------------ requests

    /** Routes every request; never lets an exception reach Jetty. */
    private final class Dispatch extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            inFlight.incrementAndGet();
            Exchange ex = new Exchange(request, response, callback, metrics, inFlight, JettyModelServer.this::modelVersion,
                    s.monitor(), bodies);
            try {
                if (draining) {
                    ex.send(503, "application/json", Exchange.jsonBytes(Map.of("error", "the server is shutting down")), true);
                    return true;
                }
                serve(ex);
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

    private void readBody(Exchange ex, BodyReader.Work work) throws HttpError {
        BodyReader.read(ex, l.maxRequestBytes(), l.requestTimeout(), work);
    }

    private void serve(Exchange ex) throws HttpError {
        String path = ex.request.getHttpURI().getPath();
        if (path != null && path.startsWith("/v2")) {
            serveV2(ex, path);
            return;
        }
        switch (path == null ? "" : path) {
            case "/health" -> {
                ex.endpoint = "health";
                method(ex, "GET");
                ex.json(200, endpoints.health(System.nanoTime() - startedNanos, metrics.requests(), metrics.errorRate()));
            }
            case "/predict" -> {
                ex.endpoint = "predict";
                method(ex, "POST");
                authorize(ex);
                readBody(ex, body -> endpoints.predict(JsonBody.parse(body, l.maxRequestElements()), ex.started));
            }
            case "/batch_predict" -> {
                ex.endpoint = "batch_predict";
                method(ex, "POST");
                authorize(ex);
                readBody(ex, body -> endpoints.batchPredict(JsonBody.parse(body, l.maxRequestElements()), ex.started));
            }
            case "/model_info" -> {
                ex.endpoint = "model_info";
                method(ex, "GET");
                authorize(ex);
                ex.json(200, endpoints.modelInfo());
            }
            case "/openapi.json" -> {
                ex.endpoint = "openapi";
                method(ex, "GET");
                ex.send(200, "application/json", OPENAPI, false);
            }
            case "/metrics" -> {
                ex.endpoint = "metrics";
                method(ex, "GET");
                authorize(ex);
                ex.send(200, "text/plain; version=0.0.4; charset=utf-8", (metrics.render() + deployments.failures().render() + deployments.featureChanges().render())
                        .getBytes(StandardCharsets.UTF_8), false);
            }
            default -> throw new HttpError(404, "no such endpoint: " + path);
        }
    }

    /** The Open Inference Protocol: health without a token, metadata and inference with it, as the other endpoints. */
    private void serveV2(Exchange ex, String path) throws HttpError {
        OipEndpoints.Target t = OipEndpoints.target(path);
        ex.endpoint = "v2_" + t.kind();
        method(ex, t.kind().equals("infer") ? "POST" : "GET");
        switch (t.kind()) {
            case "live" -> ex.json(200, oip.live());
            case "ready" -> {
                Map<String, Object> ready = oip.ready();
                ex.json(Boolean.TRUE.equals(ready.get("ready")) ? 200 : 503, ready);
            }
            case "infer" -> {
                authorize(ex);
                readBody(ex, body -> oip.infer(t, body, l.maxRequestElements(), ex.started));
            }
            default -> {
                authorize(ex);
                ex.json(200, t.kind().equals("server") ? oip.server() : t.kind().equals("model") ? oip.model(t) : oip.modelReady(t));
            }
        }
    }

    private static void method(Exchange ex, String allowed) throws HttpError {
        if (!ex.request.getMethod().equals(allowed)) {
            ex.response.getHeaders().put(HttpHeader.ALLOW, allowed);
            throw new HttpError(405, "method " + ex.request.getMethod() + " not allowed; use " + allowed);
        }
    }

    private void authorize(Exchange ex) throws HttpError {
        if (token == null) {
            return;
        }
        String given = ex.request.getHeaders().get(HttpHeader.AUTHORIZATION);
        // constant time: the comparison does not stop at the first differing byte
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(401, "missing or invalid bearer token");
        }
    }
}
