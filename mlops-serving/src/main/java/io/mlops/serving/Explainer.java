package io.mlops.serving;

import java.util.List;
import java.util.Map;

/**
 * Explains predictions: per-feature attributions ({@link Explanation}) of one instance. Get one
 * from {@link Predictor#explainer(List)} — exact TreeSHAP for ONNX tree ensembles, Kernel SHAP for
 * any other model — or {@link #kernelShap} directly. A server with explanations enabled answers
 * {@code POST /v2/models/{name}/explain} with it.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface Explainer {

    /**
     * Explains one instance.
     *
     * @param features the instance, as {@link Predictor#predict} takes it
     * @return the attributions
     * @throws IllegalArgumentException when the instance is not valid for the model (as predict would say)
     */
    Explanation explain(Map<String, Object> features);

    /**
     * Kernel SHAP (Lundberg and Lee 2017) for any predictor: each feature's Shapley value of the
     * prediction when the features left out take the background's values (interventional), by a
     * weighted linear regression over feature coalitions with the Shapley kernel. With at most 11
     * features every coalition is evaluated (exact Shapley values of that game); with more,
     * {@code samples} coalitions are drawn (paired, by the kernel's size distribution, seeded) and
     * the values are estimates. Each coalition costs one batch of {@code background.size()}
     * predictions: keep the background small (10 to 100 rows; a sample of the training data).
     *
     * @param predictor the model
     * @param background rows standing for "absent" features, 1 to 1,000
     * @param samples coalitions to draw when they are not all evaluated, at least 2 x the features
     * @param seed the sampling's seed
     * @return the explainer
     * @throws IllegalArgumentException when the background is empty or too large, or has no features
     */
    static Explainer kernelShap(Predictor predictor, List<Map<String, Object>> background, int samples, long seed) {
        return new io.mlops.serving.internal.KernelShap(predictor, background, samples, seed);
    }

    /**
     * Kernel SHAP with 2,048 sampled coalitions and seed 0.
     *
     * @param predictor the model
     * @param background rows standing for absent features
     * @return the explainer
     */
    static Explainer kernelShap(Predictor predictor, List<Map<String, Object>> background) {
        return kernelShap(predictor, background, 2_048, 0);
    }
}
