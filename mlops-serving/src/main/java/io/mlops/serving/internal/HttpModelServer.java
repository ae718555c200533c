package io.mlops.serving.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mlops.core.MlopsException;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.serving.FeatureSchema;
import io.mlops.serving.ModelLoader;
import io.mlops.serving.ModelServer;
import io.mlops.serving.Prediction;
import io.mlops.serving.Predictor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The {@link ModelServer} on {@link HttpServer}. */
public final class HttpModelServer implements ModelServer {

    private static final Logger LOG = LoggerFactory.getLogger(HttpModelServer.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger THREADS = new AtomicInteger();

    static {
        // Without TCP_NODELAY, small responses wait for the client's delayed ACK (~40 ms a request).
        // The JDK's server reads this property once, when its first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /**
     * Everything the builder collected.
     *
     * @param predictor a fixed predictor, or null
     * @param modelName the model's name
     * @param modelVersion the fixed predictor's version
     * @param registry the registry, or null
     * @param registryModel the registered model
     * @param alias the primary alias
     * @param loader the loader
     * @param splitAlias the canary or A/B alias, or null
     * @param splitFraction its share
     * @param splitKey the A/B key field, or null for a random canary
     * @param monitor the monitor, or null
     * @param host the bind address
     * @param port the port
     * @param threads request threads
     * @param maxRequestBytes the body limit
     * @param bearerToken the token, or null
     * @param schema the feature schema, or null
     * @param drainTimeout close()'s wait
     * @param pollInterval the alias poll interval
     * @param info extra model_info entries
     */
    public record Settings(Predictor predictor, String modelName, String modelVersion, ModelRegistry registry,
                           String registryModel, String alias, ModelLoader loader, String splitAlias, double splitFraction,
                           String splitKey, ModelMonitor monitor, String host, int port, int threads, long maxRequestBytes,
                           String bearerToken, FeatureSchema schema, Duration drainTimeout, Duration pollInterval,
                           Map<String, Object> info) {
    }

    /** A loaded model version. */
    private record Deployed(String version, Predictor predictor, Map<String, Object> metadata) {
    }

    private final Settings s;
    private final AtomicReference<Deployed> primary = new AtomicReference<>();
    private final AtomicReference<Deployed> split = new AtomicReference<>();
    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final byte[] token;
    private HttpServer server;
    private ThreadPoolExecutor executor;
    private ScheduledExecutorService poller;
    private long startedNanos;
    private volatile boolean closed;
    private volatile boolean draining;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** @param settings what the builder collected */
    public HttpModelServer(Settings settings) {
        this.s = settings;
        this.token = settings.bearerToken() == null ? null
                : ("Bearer " + settings.bearerToken()).getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public synchronized ModelServer start() {
        if (server != null) {
            throw new IllegalStateException("the server is already started");
        }
        if (s.predictor() != null) {
            primary.set(new Deployed(s.modelVersion(), s.predictor(), Map.of()));
        } else {
            Deployed d = load(s.alias());
            if (d == null) {
                throw new MlopsException("Cannot serve '" + s.registryModel() + "': alias '" + s.alias() + "' points at no version");
            }
            primary.set(d);
            if (s.splitAlias() != null) {
                split.set(load(s.splitAlias()));
            }
        }
        try {
            server = HttpServer.create(new InetSocketAddress(s.host(), s.port()), 1024);
        } catch (IOException e) {
            throw new MlopsException("Cannot listen on " + s.host() + ":" + s.port() + ": " + e.getMessage(), e);
        }
        executor = new ThreadPoolExecutor(s.threads(), s.threads(), 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000),
                r -> {
                    Thread t = new Thread(r, "mlops-serving-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        startedNanos = System.nanoTime();
        if (s.registry() != null) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mlops-serving-poller");
                t.setDaemon(true);
                return t;
            });
            long every = s.pollInterval().toMillis();
            poller.scheduleWithFixedDelay(this::followAliases, every, every, TimeUnit.MILLISECONDS);
        }
        LOG.info("Serving {} {} on {}", s.modelName(), primary.get().version(), uri());
        return this;
    }

    /** Loads what an alias points at, or null when it points at nothing. */
    private Deployed load(String alias) {
        Optional<ModelVersion> v = s.registry().byAlias(s.registryModel(), alias);
        if (v.isEmpty()) {
            return null;
        }
        try {
            Predictor p = s.loader().load(s.registry(), v.get());
            Map<String, Object> metadata = new LinkedHashMap<>(v.get().metadata());
            metadata.put("tags", v.get().tags());
            metadata.put("sha256", v.get().sha256());
            metadata.put("registered_at", v.get().registeredAt().toString());
            return new Deployed(v.get().version(), p, metadata);
        } catch (Exception e) {
            throw new MlopsException("Cannot load " + v.get().coordinates() + " for serving: " + e.getMessage(), e);
        }
    }

    /** Loads a moved alias's new version beside the old one, then swaps: requests never wait or fail. */
    private void followAliases() {
        follow(s.alias(), primary);
        if (s.splitAlias() != null) {
            follow(s.splitAlias(), split);
        }
    }

    private void follow(String alias, AtomicReference<Deployed> ref) {
        try {
            Optional<ModelVersion> v = s.registry().byAlias(s.registryModel(), alias);
            Deployed current = ref.get();
            String target = v.map(ModelVersion::version).orElse(null);
            if (target == null && alias.equals(s.alias())) {
                return; // keep serving the last primary rather than nothing
            }
            if (current != null && current.version().equals(target) || current == null && target == null) {
                return;
            }
            Deployed next = target == null ? null : load(alias);
            ref.set(next);
            LOG.info("Alias '{}' moved: now serving {} (was {})", alias, next == null ? "nothing" : next.version(),
                    current == null ? "nothing" : current.version());
        } catch (RuntimeException e) {
            LOG.warn("Could not follow alias '{}' of '{}': {}", alias, s.registryModel(), e.toString());
        }
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public URI uri() {
        String host = s.host().equals("0.0.0.0") ? "127.0.0.1" : s.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    @Override
    public String modelVersion() {
        Deployed d = primary.get();
        return d == null ? null : d.version();
    }

    @Override
    public String canaryVersion() {
        Deployed d = split.get();
        return d == null ? null : d.version();
    }

    @Override
    public synchronized void close() {
        if (closed || server == null) {
            closed = true;
            return;
        }
        closed = true;
        if (poller != null) {
            poller.shutdownNow();
        }
        // Drain ourselves: JDK 17's HttpServer.stop(delay) waits the whole delay even when idle.
        // New requests get 503 meanwhile; requests in progress finish.
        draining = true;
        long deadline = System.nanoTime() + s.drainTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(s.drainTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
            if (poller != null) {
                poller.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        LOG.info("Stopped serving {}", s.modelName());
    }

    // ------------------------------------------------------------------ requests

    /** A request that ends in an error response. */
    private static final class HttpError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String field;

        HttpError(int status, String message, String field) {
            super(message, null, false, false);
            this.status = status;
            this.field = field;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        inFlight.incrementAndGet();
        try {
            if (draining) {
                ex.getResponseHeaders().set("Connection", "close");
                respond(ex, 503, Map.of("error", "the server is shutting down"));
                ex.close();
                return;
            }
            serve(ex);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        long started = System.nanoTime();
        String path = ex.getRequestURI().getPath();
        String endpoint = "other";
        String version = null;
        int status = 200;
        try {
            switch (path) {
                case "/health":
                    endpoint = "health";
                    method(ex, "GET");
                    respond(ex, 200, health());
                    break;
                case "/predict":
                    endpoint = "predict";
                    method(ex, "POST");
                    authorize(ex);
                    version = predict(ex, started);
                    break;
                case "/batch_predict":
                    endpoint = "batch_predict";
                    method(ex, "POST");
                    authorize(ex);
                    version = batchPredict(ex, started);
                    break;
                case "/model_info":
                    endpoint = "model_info";
                    method(ex, "GET");
                    authorize(ex);
                    respond(ex, 200, modelInfo());
                    break;
                case "/metrics":
                    endpoint = "metrics";
                    method(ex, "GET");
                    authorize(ex);
                    byte[] text = metrics.render().getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    send(ex, 200, text);
                    break;
                default:
                    throw new HttpError(404, "no such endpoint: " + path, null);
            }
        } catch (HttpError e) {
            status = e.status;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            if (e.field != null) {
                body.put("field", e.field);
            }
            if (e.status == 401) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            }
            respond(ex, e.status, body);
        } catch (RuntimeException e) {
            status = 500;
            String id = UUID.randomUUID().toString();
            LOG.error("Request {} {} failed (error id {})", ex.getRequestMethod(), path, id, e);
            if (s.monitor() != null) {
                s.monitor().error(version != null ? version : modelVersion(), e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "internal error");
            body.put("error_id", id);
            respond(ex, 500, body);
        } finally {
            metrics.record(endpoint, version != null ? version : modelVersion(), status, System.nanoTime() - started);
            ex.close();
        }
    }

    private static void method(HttpExchange ex, String allowed) throws HttpError {
        if (!ex.getRequestMethod().equals(allowed)) {
            ex.getResponseHeaders().set("Allow", allowed);
            throw new HttpError(405, "method " + ex.getRequestMethod() + " not allowed; use " + allowed, null);
        }
    }

    private void authorize(HttpExchange ex) throws HttpError {
        if (token == null) {
            return;
        }
        String given = ex.getRequestHeaders().getFirst("Authorization");
        // constant time: the comparison does not stop at the first differing byte
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(401, "missing or invalid bearer token", null);
        }
    }

    private Object readJson(HttpExchange ex) throws HttpError, IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > s.maxRequestBytes()) {
                    throw new HttpError(413, "request body over " + s.maxRequestBytes() + " bytes", null);
                }
            } catch (NumberFormatException e) {
                throw new HttpError(400, "invalid Content-Length", null);
            }
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, s.maxRequestBytes() + 1));
            if (body.length > s.maxRequestBytes()) {
                throw new HttpError(413, "request body over " + s.maxRequestBytes() + " bytes", null);
            }
        }
        if (body.length == 0) {
            throw new HttpError(400, "empty request body: send JSON", null);
        }
        try {
            return JSON.readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new HttpError(400, "malformed JSON" + where, null);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> instances(Object json, String what) throws HttpError {
        List<Map<String, Object>> out = new ArrayList<>();
        if (json instanceof Map) {
            out.add((Map<String, Object>) json);
        } else if (json instanceof List) {
            int i = 0;
            for (Object o : (List<Object>) json) {
                if (!(o instanceof Map)) {
                    throw new HttpError(400, what + "[" + i + "] must be a JSON object of features", what + "[" + i + "]");
                }
                out.add((Map<String, Object>) o);
                i++;
            }
        } else {
            throw new HttpError(400, what + " must be a JSON object of features or an array of them", null);
        }
        if (out.isEmpty()) {
            throw new HttpError(400, what + " holds no instances", null);
        }
        if (s.schema() != null) {
            for (int i = 0; i < out.size(); i++) {
                Optional<Map.Entry<String, String>> problem = s.schema().check(out.get(i));
                if (problem.isPresent()) {
                    String prefix = out.size() == 1 && json instanceof Map ? "" : "instance " + i + ": ";
                    throw new HttpError(400, prefix + problem.get().getValue(), problem.get().getKey());
                }
            }
        }
        return out;
    }

    /** Chooses the deployment for a request: canary by chance, A/B by a hash of the key. */
    private Deployed route(Map<String, Object> first) throws HttpError {
        Deployed main = primary.get();
        Deployed other = split.get();
        if (other != null) {
            boolean toOther;
            if (s.splitKey() == null) {
                toOther = ThreadLocalRandom.current().nextDouble() < s.splitFraction();
            } else {
                Object key = first.get(s.splitKey());
                toOther = key != null && bucket(String.valueOf(key)) < s.splitFraction();
            }
            if (toOther) {
                return other;
            }
        }
        if (main == null) {
            throw new HttpError(503, "no model loaded", null);
        }
        return main;
    }

    /** A stable position in [0, 1) for a key (64-bit mix of its UTF-8 bytes). */
    static double bucket(String key) {
        long h = 0x9E3779B97F4A7C15L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    private String predict(HttpExchange ex, long started) throws HttpError, IOException {
        Object json = readJson(ex);
        List<Map<String, Object>> instances = instances(json, "request body");
        Deployed d = route(instances.get(0));
        List<Prediction> predictions = run(d, instances);
        double ms = (System.nanoTime() - started) / 1e6;
        List<Long> ids = log(d, instances, predictions, System.nanoTime() - started);
        Map<String, Object> body = new LinkedHashMap<>();
        if (json instanceof Map) {
            Prediction p = predictions.get(0);
            body.put("prediction", p.label());
            body.put("probabilities", p.probabilities().isEmpty() ? null : p.probabilities());
            body.put("score", p.score());
            if (ids != null) {
                body.put("prediction_id", ids.get(0));
            }
        } else {
            body.put("predictions", predictions.stream().map(Prediction::label).toList());
            body.put("probabilities", predictions.stream().map(p -> p.probabilities().isEmpty() ? null : p.probabilities()).toList());
            if (ids != null) {
                body.put("prediction_ids", ids);
            }
        }
        body.put("model_name", s.modelName());
        body.put("model_version", d.version());
        body.put("processing_time_ms", ms);
        respond(ex, 200, body);
        return d.version();
    }

    private String batchPredict(HttpExchange ex, long started) throws HttpError, IOException {
        Object json = readJson(ex);
        if (!(json instanceof Map)) {
            throw new HttpError(400, "batch_predict takes {\"instances\": [...], \"batch_size\": n}", null);
        }
        Map<?, ?> request = (Map<?, ?>) json;
        Object rawInstances = request.get("instances");
        if (!(rawInstances instanceof List)) {
            throw new HttpError(400, "'instances' must be an array of feature objects", "instances");
        }
        int batchSize = 32;
        Object bs = request.get("batch_size");
        if (bs != null) {
            if (!(bs instanceof Integer) || (Integer) bs < 1 || (Integer) bs > 100_000) {
                throw new HttpError(400, "'batch_size' must be a whole number in [1, 100000]", "batch_size");
            }
            batchSize = (Integer) bs;
        }
        List<Map<String, Object>> instances = instances(rawInstances, "instances");
        Deployed d = route(instances.get(0));
        List<Prediction> predictions = new ArrayList<>(instances.size());
        for (int from = 0; from < instances.size(); from += batchSize) {
            predictions.addAll(run(d, instances.subList(from, Math.min(instances.size(), from + batchSize))));
        }
        long nanos = System.nanoTime() - started;
        List<Long> ids = log(d, instances, predictions, nanos);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("predictions", predictions.stream().map(Prediction::label).toList());
        body.put("probabilities", predictions.stream().map(p -> p.probabilities().isEmpty() ? null : p.probabilities()).toList());
        if (ids != null) {
            body.put("prediction_ids", ids);
        }
        body.put("count", predictions.size());
        body.put("batch_size", batchSize);
        body.put("model_name", s.modelName());
        body.put("model_version", d.version());
        body.put("processing_time_ms", nanos / 1e6);
        body.put("throughput_per_second", predictions.size() / Math.max(nanos / 1e9, 1e-9));
        respond(ex, 200, body);
        return d.version();
    }

    private static List<Prediction> run(Deployed d, List<Map<String, Object>> instances) {
        List<Prediction> out = instances.size() == 1 ? List.of(d.predictor().predict(instances.get(0)))
                : d.predictor().predictBatch(instances);
        if (out == null || out.size() != instances.size()) {
            throw new IllegalStateException("predictor " + d.predictor().type() + " returned "
                    + (out == null ? "null" : out.size() + " predictions") + " for " + instances.size() + " instances");
        }
        return out;
    }

    private List<Long> log(Deployed d, List<Map<String, Object>> instances, List<Prediction> predictions, long nanos) {
        ModelMonitor monitor = s.monitor();
        if (monitor == null) {
            return null;
        }
        Duration each = Duration.ofNanos(nanos / instances.size());
        List<Long> ids = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            Prediction p = predictions.get(i);
            var log = monitor.prediction().input(instances.get(i)).output(p.label()).latency(each).modelVersion(d.version());
            if (p.score() != null && p.score() >= 0 && p.score() <= 1) {
                log.probability(p.score());
            }
            Object user = instances.get(i).get("user_id");
            if (user != null) {
                log.user(String.valueOf(user));
            }
            ids.add(log.log());
        }
        return ids;
    }

    private Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        Deployed d = primary.get();
        body.put("status", d == null ? "unavailable" : "healthy");
        body.put("uptime_seconds", (System.nanoTime() - startedNanos) / 1e9);
        body.put("requests", metrics.requests());
        body.put("error_rate", metrics.errorRate());
        body.put("model_name", s.modelName());
        body.put("model_version", d == null ? null : d.version());
        if (split.get() != null) {
            body.put("canary_version", split.get().version());
        }
        return body;
    }

    private Map<String, Object> modelInfo() {
        Deployed d = primary.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_type", d == null ? null : d.predictor().type());
        body.put("model_name", s.modelName());
        body.put("model_version", d == null ? null : d.version());
        if (s.registry() != null) {
            body.put("alias", s.alias());
            body.put("registry_metadata", d == null ? null : d.metadata());
        }
        if (split.get() != null) {
            body.put("split", Map.of("alias", s.splitAlias(), "version", split.get().version(), "fraction", s.splitFraction(),
                    "mode", s.splitKey() == null ? "canary" : "ab_test by " + s.splitKey()));
        }
        if (s.schema() != null) {
            List<Map<String, Object>> features = new ArrayList<>();
            for (FeatureSchema.Feature f : s.schema().features()) {
                features.add(Map.of("name", f.name(), "type", f.type().name().toLowerCase(java.util.Locale.ROOT),
                        "required", f.required()));
            }
            body.put("features", features);
        }
        body.putAll(s.info());
        return body;
    }

    private static void respond(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, bytes);
    }

    private static void send(HttpExchange ex, int status, byte[] bytes) throws IOException {
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public String toString() {
        return "ModelServer[" + s.modelName() + " " + modelVersion() + (server == null ? "" : " on " + uri()) + "]";
    }
}
