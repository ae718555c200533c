package io.mlops.serving.internal;

import io.mlops.core.AccessTokens;
import io.mlops.core.MlopsException;
import io.mlops.serving.ModelServer;
import io.mlops.serving.spi.EmbeddedRequest;
import io.mlops.serving.spi.EmbeddedResponse;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server of many models ({@code ModelServer.Builder.models}): one port; {@code /v2/models/{name}/...}
 * and {@code /models/{name}/predict} (and the chapter's other endpoints) handed to that model's
 * embedded per-model server ({@link ModelEntries}), which checks, routes, logs and answers as a
 * single-model server does; the Open Inference Protocol's health and model repository extension
 * ({@code POST /v2/repository/index}, {@code /v2/repository/models/{name}/load|unload}, the
 * latter two for deployers) here.
 */
public final class MultiModelServer implements ModelServer {

    private static final Logger LOG = LoggerFactory.getLogger(MultiModelServer.class);
    private static final Pattern OIP = Pattern.compile("/v2/models/([^/]+)(/.*)?");
    private static final Pattern CHAPTER = Pattern.compile("/models/([^/]+)(/(?:predict|batch_predict|model_info|metrics|explain))/?");
    private static final Pattern REPOSITORY = Pattern.compile("/v2/repository/models/([^/]+)/(load|unload)/?");

    private final ServerSettings.Listener l;
    private final BodyBudget bodies;
    private final ModelEntries models;
    private final ExecutorService loaders;
    private final java.util.Set<String> pinned;
    private final List<io.mlops.serving.spi.ServingListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Server jetty; // guarded by this
    private ServerConnector connector; // guarded by this
    private volatile boolean started;

    public MultiModelServer(ServerSettings template, io.mlops.registry.ModelRegistry registry, io.mlops.serving.ModelLoader loader,
                            String alias, java.util.Set<String> names, java.util.Set<String> pinned, long budget) {
        this.l = template.listener();
        this.bodies = new BodyBudget(l.maxBufferedBytes());
        this.pinned = pinned;
        this.loaders = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mlops-model-loader");
            t.setDaemon(true);
            return t;
        });
        ServerSettings.Listener embedded = new ServerSettings.Listener(l.host(), 0, l.threads(), l.maxRequestBytes(), l.tokens(),
                l.drainTimeout(), 0, l.idleTimeout(), l.requestTimeout(), l.maxRequestElements(), l.maxBufferedBytes(), true);
        ServerSettings.FromRegistry any = (ServerSettings.FromRegistry) template.source();
        this.models = new ModelEntries(registry, alias, names, pinned, budget, name -> forwarding(new JettyModelServer(new ServerSettings(
                name, new ServerSettings.FromRegistry(registry, name, alias, loader, any.pollInterval(), any.sameFeatures()),
                template.split(), template.monitor(), template.schema(), embedded, template.info(), template.shadowAlias(),
                template.analysis(), template.openTelemetry(), template.explanationBackground(), template.batching(),
                template.attributionMonitor(), null))), loaders);
    }

    /** One listener's failure is logged and never keeps the event from the others, or fails the request. */
    private static void quietly(io.mlops.serving.spi.ServingListener listener, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("Serving listener {} failed: {}", listener, e.toString());
        }
    }

    /** A model's server whose events reach this server's listeners. */
    private ModelServer forwarding(ModelServer model) {
        model.addListener(new io.mlops.serving.spi.ServingListener() {
            @Override
            public void requestCompleted(io.mlops.serving.spi.ServedRequest request) {
                listeners.forEach(l -> quietly(l, () -> l.requestCompleted(request)));
            }

            @Override
            public void modelLoaded(io.mlops.serving.spi.ModelLoad load) {
                listeners.forEach(l -> quietly(l, () -> l.modelLoaded(load)));
            }
        });
        return model;
    }

    @Override
    public synchronized ModelServer start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        Server server = JettyListener.create(l, new Front());
        ServerConnector c = (ServerConnector) server.getConnectors()[0];
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // a failed start
            }
            throw new MlopsException("Cannot listen on " + l.host() + ":" + l.port() + ": " + e.getMessage(), e);
        }
        jetty = server;
        connector = c;
        started = true;
        for (String name : pinned) { // pinned models load at start; one that cannot answers 503 with its reason
            try {
                models.loadNow(name);
            } catch (ModelEntries.Unavailable u) {
                LOG.warn("Pinned model '{}' did not load: {}", name, u.getMessage());
            }
        }
        LOG.info("Serving the models of a registry on {}", uri());
        return this;
    }

    /**
     * The front: health, the repository extension, and each model's requests to its own server. A
     * body is read without holding a thread (Jetty's demand), within the request size, the
     * buffered-bytes budget of all bodies being received and the request timeout — a slow client
     * holds a connection, never a thread — and the model answers on a pool thread.
     */
    private final class Front extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            long declared = request.getLength();
            if (declared == 0 || request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
                write(response, callback, safely(request, new byte[0]));
                return true;
            }
            long max = Math.min(l.maxRequestBytes(), Integer.MAX_VALUE - 8);
            if (declared > max) {
                write(response, callback, json(413, Map.of("error", "the request body is larger than " + max + " bytes")));
                return true;
            }
            long reserved = declared > 0 ? declared : max;
            if (!bodies.reserve(reserved)) {
                write(response, callback, json(503, Map.of("error", "the server is receiving too many request bodies at once;"
                        + " try again")));
                return true;
            }
            Content.Source.asByteArrayAsync(request, (int) max).orTimeout(l.requestTimeout().toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS).whenComplete((bytes, failure) -> {
                        bodies.release(reserved);
                        if (failure != null) {
                            boolean late = failure instanceof java.util.concurrent.TimeoutException
                                    || failure.getCause() instanceof java.util.concurrent.TimeoutException;
                            write(response, callback, json(late ? 408 : 413, Map.of("error", late
                                    ? "the request body did not arrive within " + l.requestTimeout().toMillis() + " ms"
                                    : "the request body could not be read whole within " + max + " bytes")));
                            return;
                        }
                        request.getContext().execute(() -> write(response, callback, safely(request, bytes)));
                    });
            return true;
        }

        private EmbeddedResponse safely(Request request, byte[] body) {
            try {
                return answer(request, body);
            } catch (RuntimeException e) {
                LOG.warn("A request failed: {}", e.toString(), e);
                return json(500, Map.of("error", "the server could not answer"));
            }
        }

        private void write(Response response, Callback callback, EmbeddedResponse out) {
            response.setStatus(out.status());
            response.getHeaders().put("Content-Type", out.contentType());
            out.headers().forEach((k, v) -> response.getHeaders().put(k, v));
            response.write(true, ByteBuffer.wrap(out.body()), callback);
        }
    }

    private EmbeddedResponse answer(Request request, byte[] body) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (path.equals("/v2/health/live")) {
            return json(200, Map.of("live", true));
        }
        if (path.equals("/v2/health/ready")) {
            return json(started ? 200 : 503, Map.of("ready", started));
        }
        try {
            if (path.equals("/v2/repository/index") && method.equals("POST")) {
                authorize(request, AccessTokens.Role.READER);
                return json(200, models.index());
            }
            Matcher repo = REPOSITORY.matcher(path);
            if (repo.matches() && method.equals("POST")) {
                authorize(request, AccessTokens.Role.DEPLOYER);
                if (repo.group(2).equals("load")) {
                    models.loadNow(repo.group(1));
                } else {
                    models.unload(repo.group(1));
                }
                return json(200, Map.of());
            }
            Matcher oip = OIP.matcher(path);
            Matcher chapter = CHAPTER.matcher(path);
            String name;
            String inner;
            if (oip.matches()) {
                name = oip.group(1);
                inner = path;
            } else if (chapter.matches()) {
                name = chapter.group(1);
                inner = chapter.group(2);
            } else {
                return json(404, Map.of("error", "no endpoint " + path));
            }
            authorize(request, AccessTokens.Role.READER); // before a model is loaded for a stranger
            ModelServer s = models.acquire(name, l.requestTimeout().toMillis());
            try {
                return s.handle(new ForwardedRequest(request, inner, body));
            } finally {
                models.release(name);
            }
        } catch (ModelEntries.Unavailable u) {
            return json(u.status, Map.of("error", u.getMessage()));
        }
    }

    private void authorize(Request request, AccessTokens.Role role) throws ModelEntries.Unavailable {
        AccessTokens tokens = l.tokens();
        if (tokens.grants(AccessTokens.Role.READER)
                && !tokens.allows(AccessTokens.presented(request.getHeaders().get("Authorization")), role)) {
            throw new ModelEntries.Unavailable(401, "a " + role.name().toLowerCase(java.util.Locale.ROOT) + " token is needed");
        }
    }

    private static EmbeddedResponse json(int status, Object body) {
        return new EmbeddedResponse(status, "application/json", Map.of(), Exchange.jsonBytes(body));
    }

    @Override
    public synchronized int port() {
        if (connector == null) {
            throw new IllegalStateException("the server is not started");
        }
        return connector.getLocalPort();
    }

    @Override
    public URI uri() {
        String host = l.host().equals("0.0.0.0") ? "127.0.0.1" : l.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** A server of many models has no one version: null (see {@link #loadedModels()}). */
    @Override
    public String modelVersion() {
        return null;
    }

    @Override
    public String canaryVersion() {
        return null;
    }

    @Override
    public java.util.Optional<io.mlops.serving.Rollout> rollout() {
        return java.util.Optional.empty();
    }

    @Override
    public io.mlops.serving.Rollout checkRollout() {
        throw new IllegalStateException("a server of many models has a rollout per model: see each model's /model_info");
    }

    @Override
    public Map<String, String> loadedModels() {
        return models.loaded();
    }

    /** @return the artifact bytes of the models loaded or loading (never above the budget) */
    public long residentBytes() {
        return models.residentBytes();
    }

    /** Every model's requests and loads (each event names its model), whether loaded before or after this call. */
    @Override
    public AutoCloseable addListener(io.mlops.serving.spi.ServingListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public EmbeddedResponse handle(EmbeddedRequest request) {
        return json(501, Map.of("error", "a server of many models is not embedded"));
    }

    @Override
    public synchronized void close() {
        if (jetty != null) {
            try {
                jetty.stop();
            } catch (Exception e) {
                LOG.warn("Could not stop the server: {}", e.toString());
            }
            jetty = null;
        }
        models.close();
        loaders.shutdownNow();
    }

    @Override
    public String toString() {
        return "ModelServer[many models" + (connector == null ? "" : " on " + uri()) + "]";
    }
}
