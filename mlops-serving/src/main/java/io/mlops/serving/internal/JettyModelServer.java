package io.mlops.serving.internal;

import io.mlops.core.MlopsException;
import io.mlops.serving.ModelServer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mlops.serving.spi.EmbeddedRequest;
import io.mlops.serving.spi.EmbeddedResponse;

import java.net.URI;
import java.util.Map;
import java.nio.charset.StandardCharsets;

/**
 * The {@link ModelServer} on Jetty 12's core API: lifecycle, dispatch and the HTTP side of each
 * endpoint. Connections are read without blocking a thread (Jetty's selector): a client that sends
 * its request slowly, or not at all, holds a connection but never a request thread, and request
 * bodies are read the same way. Silent connections close after the idle timeout, bodies must
 * arrive within the request timeout, and one client address holds at most a set number of
 * connections ({@link ClientConnectionLimit}). Every error a client sees is the library's JSON
 * ({@link JsonErrorHandler} for what Jetty answers itself). Built embedded, it opens no connector:
 * a host's web server hands its requests to {@link #handle}, through the same {@link Dispatcher}.
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
    private volatile io.mlops.serving.spi.TransportProvider.Transport grpc;
    private final ExplainEndpoint explain;
    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final ServingEvents events;
    private final Dispatcher dispatcher;
    private Server server;
    private ServerConnector connector;
    private volatile long startedNanos;
    private boolean started;
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
        this.explain = new ExplainEndpoint(settings, oip, inference);
        this.l = settings.listener();
        this.dispatcher = new Dispatcher(settings, routes(), deployments, metrics, events);
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public synchronized ModelServer start() {
        if (started || closed) {
            throw new IllegalStateException("the server is already started");
        }
        deployments.start();
        if (canary != null) {
            deployments.onSplitChange(canary::checkSoon);
            canary.start();
        }
        if (l.embedded()) {
            started = true;
            startedNanos = System.nanoTime();
            dispatcher.open();
            startGrpc();
            LOG.info("Serving {} {} embedded in the application's web server", s.modelName(), modelVersion());
            return this;
        }
        Server jetty = JettyListener.create(l, new Dispatch());
        ServerConnector c = (ServerConnector) jetty.getConnectors()[0];
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
        started = true;
        startedNanos = System.nanoTime();
        dispatcher.open();
        startGrpc();
        LOG.info("Serving {} {} on {}", s.modelName(), modelVersion(), uri());
        return this;
    }

    /** Starts the gRPC transport when asked for; without it, or when it cannot listen, the start fails and all stops. */
    private void startGrpc() {
        if (s.grpcPort() == null) {
            return;
        }
        io.mlops.serving.spi.TransportProvider provider = null;
        for (io.mlops.serving.spi.TransportProvider p : java.util.ServiceLoader.load(io.mlops.serving.spi.TransportProvider.class)) {
            if (p.name().equals("grpc")) {
                provider = p;
            }
        }
        try {
            if (provider == null) {
                throw new MlopsException("grpcPort(...) needs io.mlops:mlops-grpc on the class path");
            }
            grpc = provider.start(this, l.host(), s.grpcPort());
        } catch (java.io.IOException | RuntimeException e) {
            close();
            throw e instanceof MlopsException m ? m
                    : new MlopsException("Cannot serve gRPC on " + l.host() + ":" + s.grpcPort() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int grpcPort() {
        io.mlops.serving.spi.TransportProvider.Transport t = grpc;
        if (t == null) {
            throw new IllegalStateException(s.grpcPort() == null ? "this server serves no gRPC (ModelServer.Builder.grpcPort)"
                    : "the server is not started");
        }
        return t.port();
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
        if (l.embedded()) {
            throw new IllegalStateException("an embedded server has no port of its own: it answers under the"
                    + " application's web server");
        }
        return connector.getLocalPort();
    }

    @Override
    public URI uri() {
        if (l.embedded()) {
            throw new IllegalStateException("an embedded server has no address of its own: it answers under the"
                    + " application's web server");
        }
        String host = l.host().equals("0.0.0.0") ? "127.0.0.1" : l.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    @Override
    public Map<String, String> loadedModels() {
        String v = modelVersion();
        return v == null ? Map.of() : Map.of(s.modelName(), v);
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
        if (!started) {
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
        if (!started) {
            return;
        }
        if (grpc != null) {
            grpc.close(); // its calls in progress finish first
        }
        // New requests get 503 meanwhile; requests in progress finish.
        dispatcher.drain(l.drainTimeout());
        if (server != null) {
            stopQuietly(server);
        }
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

    @Override
    public EmbeddedResponse handle(EmbeddedRequest request) {
        return dispatcher.handle(java.util.Objects.requireNonNull(request, "request"));
    }

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
                        (metrics.render() + deployments.failures().render() + deployments.featureChanges().render()
                                + batchers())
                                .getBytes(StandardCharsets.UTF_8)))
                // the Open Inference Protocol: health without a token, metadata and inference with it
                .get("v2_server", "/v2/?", true, c -> Routes.Reply.json(200, oip.server()))
                .get("v2_live", "/v2/health/live", false, c -> Routes.Reply.json(200, oip.live()))
                .get("v2_ready", "/v2/health/ready", false, c -> oip.ready())
                .get("v2_model", model + "/?", true, c -> Routes.Reply.json(200, oip.model(c.group(1), c.group(2))))
                .get("v2_model_ready", model + "/ready/?", true, c -> Routes.Reply.json(200, oip.modelReady(c.group(1),
                        c.group(2))))
                .post("v2_infer", model + "/infer/?", true, c -> oip.infer(c.group(1), c.group(2), c.body(), maxElements,
                        c.started()))
                .post("v2_explain", model + "/explain/?", true, c -> explain.explain(c.group(1), c.group(2), c.body(),
                        maxElements));
    }

    /** The batchers of the versions served (primary and split), for /metrics. */
    private String batchers() {
        Map<String, DynamicBatcher> out = new java.util.LinkedHashMap<>();
        for (Deployments.Deployed d : new Deployments.Deployed[] {deployments.primary(), deployments.split()}) {
            if (d != null && d.predictor() instanceof DynamicBatcher b) {
                out.put(d.version(), b);
            }
        }
        return DynamicBatcher.render(out);
    }

    /** Jetty's requests, handed to the dispatcher with Jetty's non-blocking body reader. */
    private final class Dispatch extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            dispatcher.dispatch(new JettyWire(request, response, callback), BodyReader::read);
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
}
