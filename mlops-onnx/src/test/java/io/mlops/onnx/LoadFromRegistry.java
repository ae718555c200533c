package io.mlops.onnx;

import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.serving.Predictor;

import java.nio.file.Path;
import java.util.Map;

/**
 * Loads a registered ONNX model with {@link OnnxModel#loader()} in a JVM of its own (so that a test
 * can bound its heap) and predicts one row: {@code LoadFromRegistry ROOT MODEL VERSION}. Prints
 * {@code predicted LABEL}.
 */
public final class LoadFromRegistry {

    private LoadFromRegistry() {
    }

    public static void main(String[] args) throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(Path.of(args[0]));
        ModelVersion v = registry.get(args[1], args[2]);
        Predictor p = OnnxModel.loader().load(registry, v);
        try (AutoCloseable model = (AutoCloseable) p) {
            System.out.println("predicted " + p.predict(Map.of("input", java.util.List.of(0.1, -0.2, 0.3, 0.0, 1.0))).label());
        }
    }
}
