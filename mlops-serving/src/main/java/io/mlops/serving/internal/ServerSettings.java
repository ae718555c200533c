package io.mlops.serving.internal;

import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.FeatureSchema;
import io.mlops.serving.ModelLoader;
import io.mlops.serving.Predictor;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link io.mlops.serving.ModelServer.Builder} hands over, one record per concern.
 *
 * @param modelName the model's name in responses
 * @param source what is served
 * @param split the canary or A/B split, or null
 * @param monitor the monitor every request is logged to, or null
 * @param schema the feature schema requests must follow, or null
 * @param listener the HTTP side: address, threads, limits, timeouts, token
 * @param shadowAlias the alias whose version gets a copy of every request (registry sources only), or null
 * @param info extra {@code /model_info} entries
 * @param analysis the canary analysis that moves the split's share, or null for a fixed share
 * @param openTelemetry the spans' API, {@code OpenTelemetry.noop()} for none
 * @param explanationBackground the rows explanations are made against, or null when they are off
 * @param batching dynamic batching of each served version, or null
 * @param attributionMonitor the monitor explanations' attributions are logged to, or null
 * @param grpcPort the Open Inference Protocol's gRPC port (0: any), or null for no gRPC
 */
public record ServerSettings(String modelName, Source source, Split split, ModelMonitor monitor, FeatureSchema schema,
                             Listener listener, Map<String, Object> info, String shadowAlias,
                             io.mlops.serving.CanaryAnalysis analysis, io.opentelemetry.api.OpenTelemetry openTelemetry,
                             List<Map<String, Object>> explanationBackground, io.mlops.serving.Batching batching,
                             ModelMonitor attributionMonitor, Integer grpcPort) {

    /** A loaded predictor as served: behind a dynamic batcher when batching is on. */
    io.mlops.serving.Predictor served(io.mlops.serving.Predictor loaded) {
        return batching == null ? loaded : batching.wrap(loaded);
    }

    /** What is served: a fixed predictor, or what a registry alias points at. */
    public sealed interface Source permits Fixed, FromRegistry {
    }

    /**
     * A fixed predictor and the version it reports.
     *
     * @param predictor the model
     * @param version the version it reports
     */
    public record Fixed(Predictor predictor, String version) implements Source {
    }

    /**
     * A registry alias, served and followed.
     *
     * @param registry the registry
     * @param model the registered model
     * @param alias the alias followed
     * @param loader turns a version into a predictor
     * @param pollInterval how often the aliases are checked for moves
     * @param sameFeatures whether a version whose features differ from the one served is refused
     */
    public record FromRegistry(ModelRegistry registry, String model, String alias, ModelLoader loader,
                               Duration pollInterval, boolean sameFeatures) implements Source {
    }

    /**
     * The canary or A/B split.
     *
     * @param alias the other alias (registry sources only)
     * @param fraction its share, in (0, 1)
     * @param key the request field hashed for a sticky A/B split, or null for a random canary
     * @param seed the seed of the canary's random routing, or null for an unseeded one
     */
    public record Split(String alias, double fraction, String key, Long seed) {
    }

    /**
     * The HTTP side: address, threads, limits, timeouts, token.
     *
     * @param host the bind address
     * @param port the port, 0 for any
     * @param threads request threads
     * @param maxRequestBytes the body limit
     * @param tokens who may call (none: anyone)
     * @param drainTimeout how long close() waits for requests in flight
     * @param maxConnectionsPerClient connections one client address may hold, 0 for no limit
     * @param idleTimeout how long a connection may stay silent
     * @param requestTimeout how long a request body may take to arrive
     * @param maxRequestElements the most values (JSON values, tensor elements) one request may hold
     * @param maxBufferedBytes the most memory all request bodies being received may take together
     * @param embedded no connector of its own: a host's web server hands requests over
     */
    public record Listener(String host, int port, int threads, long maxRequestBytes, io.mlops.core.AccessTokens tokens,
                           Duration drainTimeout, int maxConnectionsPerClient, Duration idleTimeout,
                           Duration requestTimeout, long maxRequestElements, long maxBufferedBytes,
                           boolean embedded) {
    }
}
