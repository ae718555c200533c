package io.mlops.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.core.MlopsException;
import io.mlops.serving.Prediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * ONNX models that scikit-learn trained ({@code src/test/python/make_models.py}, run with Debian's
 * python3-sklearn 1.2.1 and python3-onnx 1.12.0) answer as scikit-learn did on held-out rows:
 * labels exactly, probabilities within 1e-5, regression values within 1e-4 relative (the graph
 * computes in float32).
 */
class OnnxModelTest {

    static final Path MODELS = Path.of("src/test/resources/models");
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode expected(String name) throws IOException {
        return JSON.readTree(MODELS.resolve(name + ".expected.json").toFile());
    }

    /** The expected file's rows as named instances (the values are float32s, exactly as scikit-learn saw them). */
    static List<Map<String, Object>> instances(JsonNode expected) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode row : expected.get("rows")) {
            Map<String, Object> instance = new LinkedHashMap<>();
            // the fields in reverse order: they are matched by name, never by position
            for (int k = row.size() - 1; k >= 0; k--) {
                instance.put(expected.get("feature_names").get(k).asText(), row.get(k).asDouble());
            }
            out.add(instance);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"iris_logreg", "breast_cancer_forest", "chapter_forest"})
    void classifiersAgreeWithScikitLearn(String name) throws IOException {
        JsonNode expected = expected(name);
        List<Map<String, Object>> instances = instances(expected);
        try (OnnxModel model = OnnxModel.load(MODELS.resolve(name + ".onnx"))) {
            List<Prediction> batch = model.predictBatch(instances);
            assertThat(batch).hasSize(instances.size());
            for (int i = 0; i < instances.size(); i++) {
                Prediction one = model.predict(instances.get(i));
                // one row and a batch may take different kernels: the same label, probabilities to float precision
                assertThat(one.label()).isEqualTo(batch.get(i).label());
                for (var p : one.probabilities().entrySet()) {
                    assertThat(batch.get(i).probabilities().get(p.getKey())).isCloseTo(p.getValue(), within(1e-6));
                }
                assertThat(((Number) one.label()).longValue()).as("row %d label", i).isEqualTo(expected.get("labels").get(i).asLong());
                JsonNode probs = expected.get("probabilities").get(i);
                assertThat(one.probabilities()).hasSize(probs.size());
                for (int c = 0; c < probs.size(); c++) {
                    assertThat(one.probabilities().get(Integer.toString(c))).as("row %d class %d", i, c)
                            .isCloseTo(probs.get(c).asDouble(), within(1e-5));
                }
                assertThat(one.score()).isEqualTo(one.probabilities().get(String.valueOf(one.label())));
            }
        }
    }

    @Test
    void aRegressorGivesItsValue() throws IOException {
        JsonNode expected = expected("diabetes_linear");
        List<Map<String, Object>> instances = instances(expected);
        try (OnnxModel model = OnnxModel.load(MODELS.resolve("diabetes_linear.onnx"))) {
            List<Prediction> out = model.predictBatch(instances);
            for (int i = 0; i < out.size(); i++) {
                double want = expected.get("values").get(i).asDouble();
                assertThat((Double) out.get(i).label()).isCloseTo(want, within(Math.abs(want) * 1e-4 + 1e-4));
                assertThat(out.get(i).score()).isEqualTo(out.get(i).label());
                assertThat(out.get(i).probabilities()).isEmpty();
            }
            assertThat(model.type()).startsWith("onnx regressor");
        }
    }

    @Test
    void describesItsGraphAndDerivesTheFeatureSchema() {
        try (OnnxModel model = OnnxModel.load(MODELS.resolve("iris_logreg.onnx"))) {
            assertThat(model.inputs()).containsExactly(new TensorSpec("input", "FP32", List.of(-1L, 4L)));
            assertThat(model.outputs()).extracting(TensorSpec::name, TensorSpec::datatype)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("label", "INT64"),
                            org.assertj.core.groups.Tuple.tuple("probabilities", "SEQUENCE"));
            assertThat(model.features()).containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
            var schema = model.schema().orElseThrow();
            assertThat(schema.check(Map.of("sepal_length", 1.0, "sepal_width", 2.0, "petal_length", 3.0))).get()
                    .satisfies(p -> assertThat(p.getKey()).isEqualTo("petal_width"));
            assertThat(schema.check(Map.of("sepal_length", "x", "sepal_width", 2.0, "petal_length", 3.0, "petal_width", 1)))
                    .get().satisfies(p -> assertThat(p.getKey()).isEqualTo("sepal_length"));
            assertThat(model.type()).isEqualTo("onnx classifier (mlops make_models.py)");
        }
    }

    @Test
    void badInputNamesTheFieldAndBadBytesAreAClearError() {
        try (OnnxModel model = OnnxModel.load(MODELS.resolve("iris_logreg.onnx"))) {
            assertThatThrownBy(() -> model.predict(Map.of("sepal_length", 1.0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sepal_width'");
            assertThatThrownBy(() -> model.predict(Map.of("sepal_length", "tall", "sepal_width", 1, "petal_length", 1,
                    "petal_width", 1))).hasMessageContaining("'sepal_length' must be a finite number");
        }
        assertThatThrownBy(() -> OnnxModel.load("not a model".getBytes())).isInstanceOf(MlopsException.class)
                .hasMessageContaining("Cannot load the ONNX model (11 bytes)");
        // every failure is an MlopsException naming what failed, a missing file included
        assertThatThrownBy(() -> OnnxModel.load(MODELS.resolve("absent.onnx"))).isInstanceOf(io.mlops.core.NotFoundException.class)
                .hasMessageContaining("absent.onnx");
        assertThatThrownBy(() -> OnnxModel.load(new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        })).isInstanceOf(io.mlops.core.StorageException.class).hasMessageContaining("disk gone");
    }

    @Test
    void runsFromManyThreadsAndCloseWaitsThenRefuses() throws Exception {
        JsonNode expected = expected("breast_cancer_forest");
        List<Map<String, Object>> instances = instances(expected);
        OnnxModel model = OnnxModel.load(MODELS.resolve("breast_cancer_forest.onnx"));
        List<Prediction> reference = model.predictBatch(instances);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int offset = t;
            runs.add(pool.submit(() -> {
                for (int k = 0; k < 200; k++) {
                    int i = (k + offset) % instances.size();
                    assertThat(model.predict(instances.get(i))).isEqualTo(reference.get(i));
                }
                return null;
            }));
        }
        for (Future<?> f : runs) {
            f.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();
        model.close();
        model.close();
        assertThatThrownBy(() -> model.predict(instances.get(0))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
