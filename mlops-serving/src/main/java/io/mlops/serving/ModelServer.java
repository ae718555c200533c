package io.mlops.serving;

import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.internal.JettyModelServer;
import io.mlops.serving.internal.ServerSettings;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A prediction endpoint on Jetty 12 (its core API: no servlets, no framework), or, built
 * {@link Builder#embedded()}, inside a web server the application already runs
 * ({@link #handle(io.mlops.serving.spi.EmbeddedRequest)}; Spring MVC through
 * {@code io.mlops:mlops-spring-boot-starter}).
 *
 * <pre>{@code
 * ModelServer server = ModelServer.builder()
 *         .predictor(features -> Prediction.of(model.predict(features)))
 *         .modelName("customer_churn_predictor").modelVersion("2.0.0")
 *         .monitor(monitor)
 *         .port(0)
 *         .build().start();
 * }</pre>
 *
 * <p>Endpoints: {@code GET /health}; {@code POST /predict} (one JSON object, or an array of them);
 * {@code POST /batch_predict} ({@code {"instances": [...], "batch_size": n}}); {@code GET /model_info};
 * {@code GET /metrics} (Prometheus text format). Errors are JSON {@code {"error": "...", "field": ...}}
 * with 400 (bad input, malformed JSON), 401 (missing or wrong bearer token), 404, 405, 413 (body over
 * the limit), 503 (no model loaded) or 500 — never a stack trace; a 500 carries an
 * {@code error_id} that the server's log repeats with the details.
 *
 * <p>Serving from a registry ({@link Builder#fromRegistry}) loads the version an alias points at
 * and, when the alias moves, loads the new version beside the old and swaps them atomically: no
 * request fails during the swap. {@link Builder#canary} and {@link Builder#abTest} send a share of
 * the requests to another alias's version; every response names the version that answered.
 *
 * <p><b>Slow and hostile clients affect only themselves.</b> Connections are read without holding a
 * thread, so a client that sends its request or body slowly, or not at all, never keeps the server
 * from answering others; a silent connection closes after {@link Builder#idleTimeout}, a body must
 * arrive within {@link Builder#requestTimeout} (else 408), and one client address holds at most
 * {@link Builder#maxConnectionsPerClient} connections. Malformed HTTP gets the same JSON errors.
 * JSON bodies must be one value with nothing after it, and numbers beyond the double range
 * ({@code 1e400}) are a 400, as are {@code NaN} and {@code Infinity}.
 *
 * <p>Thread-safe. {@link #close()} stops accepting, lets in-flight requests finish (up to the drain
 * timeout), and stops every thread the server started.
 *
 * @since 0.1.0
 */
public interface ModelServer extends AutoCloseable {

    /**
     * @return a builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this server
     * @throws io.mlops.core.MlopsException when the port cannot be bound or the model cannot be loaded
     */
    ModelServer start();

    /**
     * @return the bound port (useful with {@code port(0)})
     */
    int port();

    /**
     * @return the models loaded now and their versions: one for a server of one model, those
     *     resident for a server of many ({@link Builder#models})
     * @since 0.1.0
     */
    default Map<String, String> loadedModels() {
        return Map.of();
    }

    /**
     * @return the port of the Open Inference Protocol's gRPC service ({@link Builder#grpcPort})
     * @throws IllegalStateException when the server has no gRPC service or is not started
     * @since 0.1.0
     */
    default int grpcPort() {
        throw new IllegalStateException("this server serves no gRPC (ModelServer.Builder.grpcPort)");
    }

    /**
     * @return the base URI, such as {@code http://127.0.0.1:8080/}
     */
    URI uri();

    /**
     * @return the version the primary deployment serves now
     */
    String modelVersion();

    /**
     * @return the version the canary or A/B deployment serves now, or null
     */
    String canaryVersion();

    /**
     * Returns where the canary rollout stands, when the server was built with
     * {@link Builder#analysis(CanaryAnalysis)}.
     *
     * @return the rollout, or empty without a canary analysis
     */
    java.util.Optional<Rollout> rollout();

    /**
     * Runs the canary analysis now (it also runs every {@link CanaryAnalysis#checkInterval()}) and
     * returns where the rollout stands after it.
     *
     * @return the rollout after the check
     * @throws IllegalStateException without a canary analysis, or before {@link #start()}
     */
    Rollout checkRollout();

    /** Stops the server gracefully. */
    @Override
    void close();

    /**
     * Adds a listener told of every answered request and every model load (the hook of
     * {@code MlopsMeters.bind(meterRegistry, server)} in {@code io.mlops:mlops-micrometer}); it may
     * be added before or after {@link #start()}.
     *
     * @param listener the listener: quick, thread-safe; its exceptions are logged once and dropped
     * @return a handle whose {@code close()} removes the listener
     * @since 0.1.0
     */
    AutoCloseable addListener(io.mlops.serving.spi.ServingListener listener);

    /**
     * Answers one request handed over by a web server the application already runs — how the
     * endpoints are served inside Spring MVC ({@code io.mlops:mlops-spring-boot-starter}) or any
     * servlet container, usually by a server built {@link Builder#embedded()}. The request is
     * routed, checked (token, limits, schema), logged, measured and traced exactly as one that
     * arrived on the server's own port; the body is read on the calling thread from
     * {@link io.mlops.serving.spi.EmbeddedRequest#body()}, block by block, within
     * {@link Builder#maxRequestBytes}, {@link Builder#maxBufferedBytes} and
     * {@link Builder#requestTimeout} (checked between blocks: a read that stalls is ended by the
     * host's own read timeout). Errors are the same JSON; the method never throws for a client's
     * doing. Before {@link #start()} and after {@link #close()} it answers 503.
     *
     * @param request the request, its path below where the host mounted the server
     * @return the complete response for the host to write
     * @since 0.1.0
     */
    io.mlops.serving.spi.EmbeddedResponse handle(io.mlops.serving.spi.EmbeddedRequest request);

    /** The default {@link Builder#maxRequestBytes}: 1 MiB. */
    long DEFAULT_MAX_REQUEST_BYTES = 1 << 20;
    /** The default {@link Builder#maxRequestElements}: 1,048,576 values. */
    long DEFAULT_MAX_REQUEST_ELEMENTS = 1 << 20;
    /** The largest {@link Builder#maxRequestElements}: what one Java array can hold. */
    long MAX_REQUEST_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Builds a {@link ModelServer}. Setters reject bad values at once. Not thread-safe. */
    final class Builder {
        private Predictor predictor;
        private String modelName = "model";
        private String modelVersion = "unversioned";
        private ModelRegistry registry;
        private String registryModel;
        private String alias;
        private ModelLoader loader;
        private String splitAlias;
        private double splitFraction;
        private String splitKey;
        private ModelMonitor monitor;
        private List<Map<String, Object>> explanationBackground;
        private Batching batching;
        private ModelMonitor attributionMonitor;
        private Integer grpcPort;
        private ModelRegistry manyRegistry;
        private ModelLoader manyLoader;
        private String manyAlias;
        private java.util.Set<String> manyNames;
        private long memoryBudget = Long.MAX_VALUE;
        private final java.util.Set<String> pinned = new java.util.LinkedHashSet<>();
        private String host = defaultHost();
        private int port = defaultPort();
        private int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private long maxRequestElements = DEFAULT_MAX_REQUEST_ELEMENTS;
        private long maxBufferedBytes;
        private io.mlops.core.AccessTokens tokens = io.mlops.core.AccessTokens.builder().build();
        private FeatureSchema schema;
        private Duration drainTimeout = Duration.ofSeconds(10);
        private Duration pollInterval = Duration.ofSeconds(5);
        private boolean sameFeatures;
        private boolean embedded;
        private Long routingSeed;
        private String shadowAlias;
        private CanaryAnalysis analysis;
        private io.opentelemetry.api.OpenTelemetry openTelemetry = io.opentelemetry.api.OpenTelemetry.noop();
        private int maxConnectionsPerClient = 256;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private final Map<String, Object> info = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the model to serve.
         *
         * @param predictor the model to serve
         * @return this
         */
        public Builder predictor(Predictor predictor) {
            this.predictor = Objects.requireNonNull(predictor, "predictor");
            return this;
        }

        /**
         * Sets the model's name, for responses, {@code /model_info} and metrics.
         *
         * @param name the model's name, for responses, {@code /model_info} and metrics
         * @return this
         */
        public Builder modelName(String name) {
            this.modelName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets the served version (for a plain predictor).
         *
         * @param version the served version (for a plain predictor)
         * @return this
         */
        public Builder modelVersion(String version) {
            this.modelVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Serves the version an alias of a registered model points at, and follows the alias.
         *
         * @param registry the registry
         * @param model the model's name
         * @param alias the alias, such as {@code production}
         * @param loader turns a version into a predictor
         * @return this
         */
        public Builder fromRegistry(ModelRegistry registry, String model, String alias, ModelLoader loader) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.registryModel = Objects.requireNonNull(model, "model");
            this.alias = Objects.requireNonNull(alias, "alias");
            this.loader = Objects.requireNonNull(loader, "loader");
            this.modelName = model;
            return this;
        }

        /**
         * Sends a random share of requests to the version another alias points at.
         *
         * @param alias the canary's alias, such as {@code staging}
         * @param fraction the share, in (0, 1)
         * @return this
         */
        public Builder canary(String alias, double fraction) {
            checkFraction(fraction);
            this.splitAlias = Objects.requireNonNull(alias, "alias");
            this.splitFraction = fraction;
            this.splitKey = null;
            return this;
        }

        /**
         * Splits requests between the primary and another alias's version by a hash of a request field
         * (a user id), so that one key always sees the same version. Requests without the key go to
         * the primary.
         *
         * @param alias the other alias
         * @param fraction the share of keys it gets, in (0, 1)
         * @param keyField the request field to hash
         * @return this
         */
        public Builder abTest(String alias, double fraction, String keyField) {
            canary(alias, fraction);
            this.splitKey = Objects.requireNonNull(keyField, "keyField");
            return this;
        }

        /**
         * Mirrors every request to the version another alias points at, in the background: the
         * shadow's predictions never reach the client, never delay or fail the live response (a
         * bounded queue of 1,000 requests; beyond it, copies are dropped and counted), are logged to
         * the monitor under the shadow's version, and are compared with the live ones
         * ({@code /model_info} shows the share that agree). The shadow follows its alias like the
         * primary. Registry sources only.
         *
         * @param alias the shadow's alias, such as {@code candidate}
         * @return this
         */
        public Builder shadow(String alias) {
            this.shadowAlias = Objects.requireNonNull(alias, "alias");
            return this;
        }

        /**
         * Lets a {@link CanaryAnalysis} drive the canary (or A/B split): its share moves through the
         * analysis's steps while the canary is shown not worse than the primary on the monitor's
         * metrics, then the alias is promoted; on a failed gate the canary gets no more traffic and an
         * alert opens. Needs {@link #canary} (or {@link #abTest}) and {@link #monitor}.
         *
         * @param analysis how the canary is judged and rolled out
         * @return this
         */
        public Builder analysis(CanaryAnalysis analysis) {
            this.analysis = Objects.requireNonNull(analysis, "analysis");
            return this;
        }

        private static void checkFraction(double fraction) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("fraction must be in (0, 1) but was " + fraction);
            }
        }

        /**
         * Sets logs every prediction (features, output, latency, version) and failure.
         *
         * @param monitor logs every prediction (features, output, latency, version) and failure
         * @return this
         */
        public Builder monitor(ModelMonitor monitor) {
            this.monitor = Objects.requireNonNull(monitor, "monitor");
            return this;
        }

        /**
         * Enables {@code POST /v2/models/{name}/explain}: per-feature attributions of each instance
         * of an Open Inference Protocol request (at most 16), by the served version's
         * {@link Predictor#explainer} against these rows — exact TreeSHAP for an ONNX tree ensemble,
         * Kernel SHAP otherwise. Each loaded version's explainer is made on its first request.
         *
         * @param background rows standing for absent features (1 to 1,000; a sample of the training data)
         * @return this
         * @throws IllegalArgumentException when there are no rows or more than 1,000
         */
        /**
         * Serves many models of a registry on one port, each following its own alias (and the
         * canary, shadow, batching and explanation settings of this builder): the Open Inference
         * Protocol's {@code /v2/models/{name}/...} and the chapter's endpoints as
         * {@code /models/{name}/predict} (and {@code batch_predict}, {@code model_info},
         * {@code metrics}) route by the model's name. A model loads on its first request, on a
         * loader thread (requests to other models never wait for it), under
         * {@link #memoryBudget}: the least recently used unpinned model without requests in flight
         * is unloaded to make room. A model that fails to load answers 503 with the reason while
         * the others serve. The model repository extension: {@code POST /v2/repository/index}
         * (reader) and {@code POST /v2/repository/models/{name}/load} / {@code unload} (deployer).
         *
         * @param registry the registry
         * @param alias the alias each model serves, such as {@code production}
         * @param loader loads a version's artifact
         * @param names the models to serve; none: every model the registry holds (when asked)
         * @return this
         */
        public Builder models(ModelRegistry registry, String alias, ModelLoader loader, String... names) {
            this.manyRegistry = Objects.requireNonNull(registry, "registry");
            this.manyAlias = Objects.requireNonNull(alias, "alias");
            this.manyLoader = Objects.requireNonNull(loader, "loader");
            this.manyNames = names.length == 0 ? null : java.util.Set.copyOf(java.util.Arrays.asList(names));
            return this;
        }

        /**
         * {@link #models(ModelRegistry, String, ModelLoader, String...)} with alias {@code production}.
         *
         * @param registry the registry
         * @param loader loads a version's artifact
         * @return this
         */
        public Builder models(ModelRegistry registry, ModelLoader loader) {
            return models(registry, "production", loader);
        }

        /**
         * @param bytes the most artifact bytes of models resident at once (a model counts its
         *     artifact's size, the usual measure of what it takes loaded); default no limit
         * @return this
         */
        public Builder memoryBudget(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("a memory budget is positive");
            }
            this.memoryBudget = bytes;
            return this;
        }

        /**
         * @param names models loaded at start and never unloaded to make room (they count in the budget)
         * @return this
         */
        public Builder pin(String... names) {
            pinned.addAll(java.util.Arrays.asList(names));
            return this;
        }

        /**
         * Also serves the Open Inference Protocol over gRPC ({@code inference.GRPCInferenceService}:
         * ServerLive, ServerReady, ModelReady, ServerMetadata, ModelMetadata, ModelInfer) on this
         * port of the same host, through the same routing, schema checks, tokens (the
         * {@code authorization} metadata), monitoring and traces as the REST endpoints. Needs
         * {@code io.mlops:mlops-grpc} on the class path ({@link #build()} says so otherwise).
         *
         * @param port the port, 0 for any free one ({@link ModelServer#grpcPort()} tells which)
         * @return this
         * @throws IllegalArgumentException when the port is not 0 to 65535
         */
        public Builder grpcPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("a port is 0 to 65535, not " + port);
            }
            this.grpcPort = port;
            return this;
        }

        /**
         * Batches concurrent single-instance requests to each served version into one model call
         * ({@link Batching}); {@code /model_info} shows the batcher's settings and counts. Off by
         * default.
         *
         * @param batching the settings, e.g. {@code Batching.dynamic()}
         * @return this
         */
        public Builder batching(Batching batching) {
            this.batching = Objects.requireNonNull(batching, "batching");
            return this;
        }

        public Builder explanations(List<Map<String, Object>> background) {
            if (background == null || background.isEmpty() || background.size() > 1_000) {
                throw new IllegalArgumentException("an explanation background has 1 to 1,000 rows");
            }
            // copies that keep a missing (null) value of an optional feature, as requests may hold one
            this.explanationBackground = background.stream()
                    .map(r -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(r))).toList();
            return this;
        }

        /**
         * Enables explanations ({@link #explanations(List)}) and logs each explained instance's
         * attributions to a monitor of their own: a "prediction" whose inputs are the attributions,
         * named as the features ({@code OUTPUT/FEATURE} when the model has several outputs), and
         * whose output is the last output's value — so that attribution drift per feature is
         * watched with the monitor's drift tools, like input drift.
         *
         * @param background rows standing for absent features
         * @param attributions the monitor the attributions are logged to (not the server's own)
         * @return this
         */
        public Builder explanations(List<Map<String, Object>> background, ModelMonitor attributions) {
            explanations(background);
            this.attributionMonitor = Objects.requireNonNull(attributions, "attributions");
            return this;
        }

        /** The system property {@code mlops.server.host}, else the environment's {@code MLOPS_SERVER_HOST}, else 127.0.0.1. */
        private static String defaultHost() {
            String configured = System.getProperty("mlops.server.host", System.getenv("MLOPS_SERVER_HOST"));
            return configured == null || configured.isBlank() ? "127.0.0.1" : configured.strip();
        }

        /** The system property {@code mlops.server.port}, else the environment's {@code MLOPS_SERVER_PORT}, else 8080. */
        private static int defaultPort() {
            String configured = System.getProperty("mlops.server.port", System.getenv("MLOPS_SERVER_PORT"));
            if (configured == null || configured.isBlank()) {
                return 8080;
            }
            try {
                int port = Integer.parseInt(configured.strip());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("MLOPS_SERVER_PORT / mlops.server.port must be a port number, not '" + configured + "'");
        }

        /**
         * Sets the address to bind. The default is the system property {@code mlops.server.host},
         * else the environment variable {@code MLOPS_SERVER_HOST} (which the files of
         * {@link DeploymentBundle} set to 0.0.0.0, so that the proxy in front reaches the
         * container), else 127.0.0.1.
         *
         * @param host the address to bind
         * @return this
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the port, 0 for any free one. The default is the system property
         * {@code mlops.server.port}, else the environment variable {@code MLOPS_SERVER_PORT} (set by
         * {@link DeploymentBundle}'s files), else 8080.
         *
         * @param port the port, 0 for any free one
         * @return this
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535] but was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets request threads, {@code >= 1} (default twice the cores, at least 4).
         *
         * @param threads request threads, {@code >= 1} (default twice the cores, at least 4)
         * @return this
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Sets the largest request body accepted, {@code >= 1} (default {@value #DEFAULT_MAX_REQUEST_BYTES}
         * bytes, 1 MiB); larger is 413. See also {@link #maxRequestElements} and {@link #maxBufferedBytes}.
         *
         * @param bytes the largest request body accepted, {@code >= 1} (default 1 MiB); larger is 413
         * @return this
         */
        public Builder maxRequestBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxRequestBytes must be >= 1 but was " + bytes);
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /**
         * Sets the most values one request may hold (default {@value #DEFAULT_MAX_REQUEST_ELEMENTS}):
         * an Open Inference Protocol request's tensor elements, counted from each shape before its
         * array is allocated, or the JSON values of a {@code /predict} or {@code /batch_predict}
         * body, counted as they are read. More is 413. This bounds the memory and work a request may
         * cause whatever its byte size (a tensor element takes 1 to 8 bytes in memory, a JSON value
         * of {@code /predict} some 20 to 60).
         *
         * @param elements the most values one request may hold, in [1, {@value #MAX_REQUEST_ELEMENTS}]
         * @return this
         */
        public Builder maxRequestElements(long elements) {
            if (elements < 1 || elements > MAX_REQUEST_ELEMENTS) {
                throw new IllegalArgumentException("maxRequestElements must be in [1, " + MAX_REQUEST_ELEMENTS + "] but was "
                        + elements);
            }
            this.maxRequestElements = elements;
            return this;
        }

        /**
         * Sets the most memory all request bodies being received may take together (default: a
         * quarter of the JVM's maximum heap, at least {@link #maxRequestBytes}). A body takes memory
         * as its bytes arrive, never as announced; a request whose body would pass this budget is
         * 503 with {@code Retry-After} and its connection closed, so that many clients each sending
         * part of a large body cannot together exhaust the heap.
         *
         * @param bytes the budget, {@code >= 1}; it should be at least {@link #maxRequestBytes}
         * @return this
         */
        public Builder maxBufferedBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBufferedBytes must be >= 1 but was " + bytes);
            }
            this.maxBufferedBytes = bytes;
            return this;
        }

        /**
         * Sets required as {@code Authorization: Bearer <token>} on every endpoint but /health.
         *
         * @param token required as {@code Authorization: Bearer <token>} on every endpoint but /health
         * @return this
         */
        public Builder bearerToken(String token) {
            Objects.requireNonNull(token, "token");
            if (token.length() < 16) {
                throw new IllegalArgumentException("a bearer token must be at least 16 characters long");
            }
            this.tokens = io.mlops.core.AccessTokens.builder().token(io.mlops.core.AccessTokens.Role.READER, token).build();
            return this;
        }

        /**
         * Sets who may call the server, as {@code Authorization: Bearer <token>}: every endpoint but
         * /health needs a token of at least the {@code READER} role (a deployer's and an admin's
         * work too); the endpoints that change what is served will need a {@code DEPLOYER}'s.
         * Tokens are compared in constant time and never logged.
         *
         * @param tokens the tokens and their roles
         * @return this
         */
        public Builder accessTokens(io.mlops.core.AccessTokens tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        /**
         * Sets the features requests must carry; bad input is a 400 naming the field.
         *
         * @param schema the features requests must carry; bad input is a 400 naming the field
         * @return this
         */
        public Builder featureSchema(FeatureSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * Sets how long close() waits for in-flight requests (default 10 s).
         *
         * @param timeout how long close() waits for in-flight requests (default 10 s)
         * @return this
         */
        public Builder drainTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("drainTimeout must be >= 0 but was " + timeout);
            }
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * Sets how often aliases are checked for moves (default 5 s).
         *
         * @param interval how often aliases are checked for moves (default 5 s)
         * @return this
         */
        public Builder pollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive but was " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /**
         * Refuses to follow an alias to a version whose features (its model's {@link FeatureSchema})
         * differ from those of the version served: the version before keeps serving, and the
         * refusal shows as a failed load on {@code /health} and {@code /metrics}. By default
         * (false) the server follows, and says so: a warning in the log,
         * {@code feature_changes} in {@code /model_info} and
         * {@code mlops_model_feature_changes_total} in {@code /metrics}.
         *
         * @param refuse whether to keep serving the old version when the features differ
         * @return this
         */
        public Builder sameFeatures(boolean refuse) {
            this.sameFeatures = refuse;
            return this;
        }

        /**
         * Sets how many connections one client address may hold open at once (default 256); a connection beyond it is closed as soon as it is accepted. Behind a reverse proxy every request comes from the proxy's address: set at least the proxy's connection pool size, or 0 for no limit.
         *
         * @param connections how many connections one client address may hold open at once
         *     (default 256); a connection beyond it is closed as soon as it is accepted. Behind a
         *     reverse proxy every request comes from the proxy's address: set at least the proxy's
         *     connection pool size, or 0 for no limit
         * @return this
         */
        public Builder maxConnectionsPerClient(int connections) {
            if (connections < 0) {
                throw new IllegalArgumentException("maxConnectionsPerClient must be >= 0 but was " + connections);
            }
            this.maxConnectionsPerClient = connections;
            return this;
        }

        /**
         * Sets how long a connection may stay silent, idle between requests or stalled in the middle of one, before it is closed (default 30 s).
         *
         * @param timeout how long a connection may stay silent, idle between requests or stalled in
         *     the middle of one, before it is closed (default 30 s)
         * @return this
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive but was " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Sets how long a client may take to send a whole request body, however steadily it trickles in (default 30 s); a slower one gets 408 and its connection is closed.
         *
         * @param timeout how long a client may take to send a whole request body, however steadily
         *     it trickles in (default 30 s); a slower one gets 408 and its connection is closed
         * @return this
         */
        public Builder requestTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive but was " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Traces requests and loads through OpenTelemetry: a SERVER span per {@code /predict},
         * {@code /batch_predict} and Open Inference Protocol infer call — a child of the caller's
         * span when the request carries a W3C {@code traceparent} (the propagators of {@code otel}
         * decide what is read) — with the attributes {@code mlops.model.name},
         * {@code mlops.model.version} (the version that answered), {@code mlops.model.alias},
         * {@code mlops.model.role} ({@code primary} or {@code canary}), {@code http.request.method},
         * {@code http.route} and {@code http.response.status_code}, status ERROR on a 5xx; an
         * INTERNAL span {@code mlops.model.load} per load of a version from the registry. The span is
         * current while the predictor runs (its own spans become children), and each prediction the
         * monitor logs carries the span's trace id ({@code ModelMonitor.predictionsOfTrace},
         * {@code traceOf}). Only the API is a dependency: pass the application's
         * {@code OpenTelemetry} (its SDK, or {@code GlobalOpenTelemetry.get()} under the Java agent);
         * the default, {@code OpenTelemetry.noop()}, records nothing and costs nothing.
         *
         * @param otel the OpenTelemetry to trace with
         * @return this
         * @since 0.1.0
         */
        public Builder openTelemetry(io.opentelemetry.api.OpenTelemetry otel) {
            this.openTelemetry = Objects.requireNonNull(otel, "otel");
            return this;
        }

        /**
         * Seeds the canary's random routing ({@link #canary}), so that a simulation sending its
         * requests one at a time is routed request for request the same way on every run (requests
         * sent concurrently are routed in the order they arrive, which varies). Unseeded (the
         * default), each request thread draws from its own generator without contention. The
         * monitor's sketches cannot be seeded: Apache DataSketches draws their compaction from a
         * random of its own.
         *
         * @param seed the seed
         * @return this
         * @since 0.1.0
         */
        public Builder routingSeed(long seed) {
            this.routingSeed = seed;
            return this;
        }

        /**
         * Builds a server without a port of its own, for a web server the application already runs:
         * {@link #start()} loads the model and starts the alias polling and the canary analysis but
         * opens no connector, and the host hands each request to {@link ModelServer#handle}.
         * {@link ModelServer#port()} and {@link ModelServer#uri()} then throw; {@link #host},
         * {@link #port}, {@link #threads}, {@link #idleTimeout} and
         * {@link #maxConnectionsPerClient} are the host's to set on its own server.
         *
         * @return this
         * @since 0.1.0
         */
        public Builder embedded() {
            this.embedded = true;
            return this;
        }

        /**
         * @param key an entry for {@code /model_info}
         * @param value its JSON-able value
         * @return this
         */
        public Builder info(String key, Object value) {
            info.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /**
         * @return the server, not yet started
         * @throws IllegalStateException when neither a predictor nor a registry was given, a
         *     canary without a registry, or an analysis without a canary and a monitor
         */
        public ModelServer build() {
            if (manyRegistry != null) {
                return buildMany();
            }
            if ((predictor == null) == (registry == null)) {
                throw new IllegalStateException("give either predictor(...) or fromRegistry(...)");
            }
            if (splitAlias != null && registry == null) {
                throw new IllegalStateException("canary and abTest need fromRegistry(...)");
            }
            if (shadowAlias != null && registry == null) {
                throw new IllegalStateException("shadow needs fromRegistry(...)");
            }
            if (analysis != null && (splitAlias == null || monitor == null)) {
                throw new IllegalStateException("analysis(...) needs canary(...) or abTest(...), and monitor(...) to judge by");
            }
            ServerSettings.Source source = registry == null ? new ServerSettings.Fixed(predictor, modelVersion)
                    : new ServerSettings.FromRegistry(registry, registryModel, alias, loader, pollInterval, sameFeatures);
            ServerSettings.Split split = splitAlias == null ? null : new ServerSettings.Split(splitAlias, splitFraction, splitKey,
                    routingSeed);
            long buffered = maxBufferedBytes > 0 ? maxBufferedBytes
                    : Math.max(maxRequestBytes, Runtime.getRuntime().maxMemory() / 4);
            ServerSettings.Listener listener = new ServerSettings.Listener(host, port, threads, maxRequestBytes, tokens,
                    drainTimeout, maxConnectionsPerClient, idleTimeout, requestTimeout, maxRequestElements, buffered, embedded);
            return new JettyModelServer(new ServerSettings(modelName, source, split, monitor, schema, listener,
                    Map.copyOf(info), shadowAlias, analysis, openTelemetry, explanationBackground, batching,
                    attributionMonitor, grpcPort));
        }

        private ModelServer buildMany() {
            if (predictor != null || registry != null) {
                throw new IllegalStateException("give models(...) or one of predictor(...) and fromRegistry(...)");
            }
            if (grpcPort != null || embedded) {
                throw new IllegalStateException("a server of many models has no gRPC port and is not embedded yet");
            }
            if (analysis != null && (splitAlias == null || monitor == null)) {
                throw new IllegalStateException("analysis(...) needs canary(...) or abTest(...), and monitor(...) to judge by");
            }
            ServerSettings.Split split = splitAlias == null ? null : new ServerSettings.Split(splitAlias, splitFraction, splitKey,
                    routingSeed);
            long buffered = maxBufferedBytes > 0 ? maxBufferedBytes
                    : Math.max(maxRequestBytes, Runtime.getRuntime().maxMemory() / 4);
            ServerSettings.Listener listener = new ServerSettings.Listener(host, port, threads, maxRequestBytes, tokens,
                    drainTimeout, maxConnectionsPerClient, idleTimeout, requestTimeout, maxRequestElements, buffered, false);
            ServerSettings template = new ServerSettings("*", new ServerSettings.FromRegistry(manyRegistry, "*", manyAlias,
                    manyLoader, pollInterval, sameFeatures), split, monitor, schema, listener, Map.copyOf(info), shadowAlias,
                    analysis, openTelemetry, explanationBackground, batching, attributionMonitor, null);
            return new io.mlops.serving.internal.MultiModelServer(template, manyRegistry, manyLoader, manyAlias, manyNames,
                    java.util.Set.copyOf(pinned), memoryBudget);
        }
    }
}
