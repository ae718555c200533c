package io.mlops.serving;

import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;

/**
 * Turns a registered model version into a {@link Predictor}, for registry-backed serving.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ModelLoader {

    /**
     * @param registry the registry
     * @param version the version to serve
     * @return its predictor
     * @throws Exception when the model cannot be loaded (the server keeps serving the old one)
     */
    Predictor load(ModelRegistry registry, ModelVersion version) throws Exception;
}
