package io.mlops.serving;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-feature attributions of one prediction: for each output (a class's probability or score, or
 * a regressor's value) the expected value over the background and how much each feature moved
 * this prediction away from it. The attributions of an output sum to its value minus its expected
 * value (SHAP's local accuracy), within the method's tolerance.
 *
 * @param method {@code tree_shap} (exact, path-dependent, on the raw score before the model's
 *     post-transform) or {@code kernel_shap} (estimated, interventional, on the predictor's output)
 * @param features the features, in the model's order
 * @param outputs one entry per explained output
 * @since 0.1.0
 */
public record Explanation(String method, List<String> features, List<Output> outputs) {

    /**
     * One output's explanation.
     *
     * @param name the class label, or {@code value} for a regressor
     * @param expectedValue the output's expectation over the background
     * @param value the output for the explained row
     * @param attributions per feature, in the features' order
     */
    public record Output(String name, double expectedValue, double value, Map<String, Double> attributions) {

        /** Copies the attributions, keeping their order. */
        public Output {
            Objects.requireNonNull(name, "name");
            attributions = Collections.unmodifiableMap(new LinkedHashMap<>(attributions));
        }
    }

    /** Copies the lists. */
    public Explanation {
        Objects.requireNonNull(method, "method");
        features = List.copyOf(features);
        outputs = List.copyOf(outputs);
    }

    /**
     * @param name an output's name
     * @return its explanation
     * @throws IllegalArgumentException when there is no such output
     */
    public Output output(String name) {
        for (Output o : outputs) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("no output '" + name + "'; the outputs are " + outputs.stream().map(Output::name).toList());
    }
}
