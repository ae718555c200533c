package io.mlops.serving.internal;

import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.FeatureSchema;
import io.mlops.serving.ModelLoader;
import io.mlops.serving.Predictor;

import java.time.Duration;
import java.util.Map;

/**
 * Everything {@link io.mlops.serving.ModelServer.Builder} collected.
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
 * @param maxConnectionsPerClient connections one client address may hold, 0 for no limit
 * @param idleTimeout how long a connection may stay silent
 * @param requestTimeout how long a request body may take to arrive
 */
public record ServerSettings(Predictor predictor, String modelName, String modelVersion, ModelRegistry registry,
                             String registryModel, String alias, ModelLoader loader, String splitAlias, double splitFraction,
                             String splitKey, ModelMonitor monitor, String host, int port, int threads, long maxRequestBytes,
                             String bearerToken, FeatureSchema schema, Duration drainTimeout, Duration pollInterval,
                             Map<String, Object> info, int maxConnectionsPerClient, Duration idleTimeout,
                             Duration requestTimeout) {
}
