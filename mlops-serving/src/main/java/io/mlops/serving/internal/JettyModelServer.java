package io.mlops.serving.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.core.Json;
import io.mlops.core.MlopsException;
import io.mlops.serving.ModelServer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private static final ObjectMapper JSON = Json.builder().build();

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

    /** One request: its endpoint, the version that answered, and the one completion of the response. */
    private final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;
        final long started = System.nanoTime();
        final AtomicBoolean done = new AtomicBoolean();
        String endpoint = "other";
        String version;

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        /** Sends the response once; later calls (a timeout racing the body) do nothing. */
        void send(int status, String contentType, byte[] body, boolean close) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            if (close) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            metrics.record(endpoint, version != null ? version : modelVersion(), status, System.nanoTime() - started);
            response.write(true, ByteBuffer.wrap(body), Callback.from(() -> {
                inFlight.decrementAndGet();
                callback.succeeded();
            }, x -> {
                inFlight.decrementAndGet();
                callback.failed(x);
            }));
        }

        void json(int status, Object body) {
            byte[] bytes;
            try {
                bytes = JSON.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                // a predictor's label that JSON cannot hold: the server's fault, not the client's
                internalError(new IllegalStateException("the response cannot be written as JSON: " + e.getOriginalMessage(), e));
                return;
            }
            send(status, "application/json", bytes, false);
        }

        void error(HttpError e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            if (e.field != null) {
                body.put("field", e.field);
            }
            if (e.status == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            }
            json(e.status, body);
        }

        void internalError(Throwable e) {
            if (e instanceof ModelFailure f) {
                version = f.version();
                e = f.failure();
            }
            String id = UUID.randomUUID().toString();
            LOG.error("Request {} {} failed (error id {})", request.getMethod(), request.getHttpURI().getPath(), id, e);
            if (s.monitor() != null) {
                try {
                    s.monitor().error(version != null ? version : modelVersion(), e.getClass().getSimpleName() + ": "
                            + e.getMessage());
                } catch (RuntimeException logging) {
                    LOG.warn("Could not log error {} to the monitor: {}", id, logging.toString());
                }
            }
            send(500, "application/json", JsonErrorHandler.body(500, id), false);
        }
    }

    /** Routes every request; never lets an exception reach Jetty. */
    private final class Dispatch extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            inFlight.incrementAndGet();
            Exchange ex = new Exchange(request, response, callback);
            try {
                if (draining) {
                    ex.send(503, "application/json", jsonBytes(Map.of("error", "the server is shutting down")), true);
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

    private static byte[] jsonBytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
                readBody(ex, json -> endpoints.predict(json, ex.started));
            }
            case "/batch_predict" -> {
                ex.endpoint = "batch_predict";
                method(ex, "POST");
                authorize(ex);
                readBody(ex, json -> endpoints.batchPredict(json, ex.started));
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
                ex.send(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8), false);
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
                readBody(ex, json -> oip.infer(t, json, ex.started));
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

    /** What an endpoint does with a parsed body. */
    private interface BodyWork {
        PredictEndpoints.Result apply(Object json) throws HttpError;
    }

    /**
     * Reads the body without holding a thread while the client is slow: chunks are taken as they
     * come, and Jetty calls back when more arrives. Over the size limit is 413, slower than the
     * request timeout is 408 (and the connection is closed); then the endpoint runs.
     */
    private void readBody(Exchange ex, BodyWork work) throws HttpError {
        long max = l.maxRequestBytes();
        long declared = ex.request.getLength();
        if (declared > max) {
            throw new HttpError(413, "request body over " + max + " bytes");
        }
        Scheduler.Task timeout = ex.request.getComponents().getScheduler().schedule(() -> {
            if (!ex.done.get()) {
                ex.send(408, "application/json", jsonBytes(Map.of("error", "the request body did not arrive within "
                        + l.requestTimeout().toMillis() + " ms")), true);
            }
        }, l.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        Runnable reader = new Runnable() {
            @Override
            public void run() {
                try {
                    while (!ex.done.get()) {
                        Content.Chunk chunk = ex.request.read();
                        if (chunk == null) {
                            ex.request.demand(this);
                            return;
                        }
                        if (Content.Chunk.isFailure(chunk)) {
                            timeout.cancel();
                            ex.send(400, "application/json", jsonBytes(Map.of("error", "the request body could not be read")),
                                    true);
                            return;
                        }
                        ByteBuffer bytes = chunk.getByteBuffer();
                        if (body.size() + (long) bytes.remaining() > max) {
                            chunk.release();
                            timeout.cancel();
                            ex.error(new HttpError(413, "request body over " + max + " bytes"));
                            return;
                        }
                        byte[] copy = new byte[bytes.remaining()];
                        bytes.get(copy);
                        body.write(copy, 0, copy.length);
                        boolean last = chunk.isLast();
                        chunk.release();
                        if (last) {
                            timeout.cancel();
                            PredictEndpoints.Result result = work.apply(PredictEndpoints.parse(body.toByteArray()));
                            ex.version = result.version();
                            ex.json(200, result.body());
                            return;
                        }
                    }
                } catch (HttpError e) {
                    ex.error(e);
                } catch (RuntimeException | Error e) {
                    ex.internalError(e);
                }
            }
        };
        reader.run();
    }
}
