package io.mlops.onnx.internal;

import io.mlops.serving.Explainer;
import io.mlops.serving.Explanation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact TreeSHAP for an ONNX tree ensemble: the covers are the background rows reaching each node
 * (an ONNX graph carries no training counts but for the optional, rarely meaningful
 * {@code nodes_hitrates}), the attributions
 * are of the raw score before the model's post-transform. Thread-safe: each call has its own
 * {@link TreeShap}.
 */
public final class TreeShapExplainer implements Explainer {

    private final DecisionTrees trees;
    private final OnnxTrees.Ensemble ensemble;
    private final InputLayout layout;
    private final List<String> features;
    private final List<String> outputs;
    private final double[] expected;

    public TreeShapExplainer(OnnxTrees.Ensemble ensemble, InputLayout layout, List<Map<String, Object>> background) {
        if (background == null || background.isEmpty() || background.size() > 100_000) {
            throw new IllegalArgumentException("a background sample has 1 to 100,000 rows");
        }
        List<double[]> rows = new ArrayList<>(background.size());
        for (Map<String, Object> b : background) {
            rows.add(ensemble.treeRow(layout.matrixRow(b)));
        }
        this.ensemble = ensemble;
        this.trees = ensemble.trees().withCovers(rows);
        this.layout = layout;
        this.features = layout.features();
        this.outputs = ensemble.outputs();
        this.expected = new TreeShap(trees).expectedValue();
    }

    @Override
    public Explanation explain(Map<String, Object> instance) {
        double[] x = ensemble.treeRow(layout.matrixRow(instance));
        double[][] phi = new TreeShap(trees).shap(x);
        double[] raw = trees.predict(x);
        List<Explanation.Output> out = new ArrayList<>(outputs.size());
        for (int k = 0; k < outputs.size(); k++) {
            Map<String, Double> attributions = new LinkedHashMap<>();
            for (int f = 0; f < features.size(); f++) {
                attributions.put(features.get(f), phi[f][k]);
            }
            out.add(new Explanation.Output(outputs.get(k), expected[k], raw[k], attributions));
        }
        return new Explanation("tree_shap", features, out);
    }
}
