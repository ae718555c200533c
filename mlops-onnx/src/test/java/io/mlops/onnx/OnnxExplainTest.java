package io.mlops.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlops.serving.Explainer;
import io.mlops.serving.Explanation;
import io.mlops.serving.Prediction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Explanations of real scikit-learn models converted by skl2onnx: the forests get exact TreeSHAP
 * whose attributions add up to ONNX Runtime's own probability for every row (within float32's
 * rounding of the summed leaf weights, 1e-5), the linear classifier Kernel SHAP.
 */
class OnnxExplainTest {

    @ParameterizedTest
    @ValueSource(strings = {"breast_cancer_forest", "chapter_forest"})
    void forestsAreExplainedExactlyAndAddUpToTheRuntimesProbability(String name) throws Exception {
        JsonNode expected = OnnxModelTest.expected(name);
        List<Map<String, Object>> rows = OnnxModelTest.instances(expected);
        try (OnnxModel model = OnnxModel.load(OnnxModelTest.MODELS.resolve(name + ".onnx"))) {
            assertThat(model.hasTreeEnsemble()).isTrue();
            Explainer explainer = model.explainer(rows);
            for (Map<String, Object> row : rows) {
                Explanation e = explainer.explain(row);
                assertThat(e.method()).isEqualTo("tree_shap");
                assertThat(e.features()).isEqualTo(model.features());
                Prediction p = model.predict(row);
                for (Explanation.Output out : e.outputs()) {
                    double sum = out.expectedValue() + out.attributions().values().stream().mapToDouble(Double::doubleValue).sum();
                    assertThat(sum).as("%s class %s", name, out.name()).isCloseTo(out.value(), within(1e-9));
                    assertThat(out.value()).as("the raw score is the runtime's probability (post_transform NONE)")
                            .isCloseTo(p.probabilities().get(out.name()), within(1e-5));
                }
            }
        }
    }

    @Test
    void aModelThatIsNoTreeEnsembleGetsKernelShap() throws Exception {
        JsonNode expected = OnnxModelTest.expected("iris_logreg");
        List<Map<String, Object>> rows = OnnxModelTest.instances(expected);
        try (OnnxModel model = OnnxModel.load(OnnxModelTest.MODELS.resolve("iris_logreg.onnx"))) {
            assertThat(model.hasTreeEnsemble()).isFalse();
            Explanation e = model.explainer(rows.subList(0, 10)).explain(rows.get(20));
            assertThat(e.method()).isEqualTo("kernel_shap");
            Prediction p = model.predict(rows.get(20));
            for (Explanation.Output out : e.outputs()) {
                double sum = out.expectedValue() + out.attributions().values().stream().mapToDouble(Double::doubleValue).sum();
                assertThat(sum).isCloseTo(p.probabilities().get(out.name()), within(1e-6));
            }
        }
    }

    @Test
    void theModelLoadedFromBytesReadsItsTreesToo() throws Exception {
        byte[] bytes = java.nio.file.Files.readAllBytes(OnnxModelTest.MODELS.resolve("chapter_forest.onnx"));
        try (OnnxModel model = OnnxModel.load(bytes)) {
            assertThat(model.hasTreeEnsemble()).isTrue();
        }
    }
}
