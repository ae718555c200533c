package io.mlops.onnx;

import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelServer;
import io.mlops.serving.Prediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's ONNX block runs, and the README shows the code that runs. */
class ReadmeOnnxTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeBlockRuns() throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        Path onnxFile = OnnxModelTest.MODELS.resolve("chapter_forest.onnx");
        Prediction answered;
        // README onnx: begin
        registry.register("churn").version("1.0.0").artifact(onnxFile).tag("format", "onnx").save();  // from skl2onnx, torch.onnx...
        registry.setAlias("churn", "production", "1.0.0");
        ModelServer server = ModelServer.builder()
                .fromRegistry(registry, "churn", "production", OnnxModel.loader())  // artifact verified, then loaded
                .port(0).build().start();
        try (OnnxModel model = OnnxModel.load(onnxFile)) {                         // or in process
            Prediction p = model.predict(Map.of("feature_0", 1.5, "feature_1", -0.5, "feature_2", 2.0, "feature_3", 0.0, "feature_4", -1.0));
        // README onnx: end
            answered = p;
        }
        assertThat(answered.label()).isEqualTo(1L);
        assertThat(server.modelVersion()).isEqualTo("1.0.0");
        server.close();
        io.mlops.core.testkit.ReadmeBlocks.assertShown(Path.of("src/test/java/io/mlops/onnx/ReadmeOnnxTest.java"), "onnx");
    }
}
