package io.mlops.onnx.internal;


import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a tree ensemble out of an ONNX model's bytes, for TreeSHAP: a graph whose one model node is
 * ONNX-ML's {@code TreeEnsembleClassifier} or {@code TreeEnsembleRegressor} (around it only
 * {@code Cast}, {@code Identity}, {@code ZipMap}, {@code ArgMax}, and one {@code Scaler} before it). The bytes are walked with protobuf's wire
 * reader by the field numbers of ONNX's {@code onnx.proto} (ModelProto.graph 7, GraphProto.node 1,
 * NodeProto.op_type 4 / domain 7 / attribute 5, AttributeProto.name 1 / f 2 / i 3 / s 4 / t 5 /
 * floats 7 / ints 8 / strings 9, TensorProto.float_data 4 / raw_data 9 / double_data 10), packed or
 * not. Anything else — another operator, a tree deeper than {@value #MAX_DEPTH}, inconsistent
 * arrays, an aggregate that is not a sum or an average — is no tree ensemble here (empty), never an
 * exception: the model still predicts, and is explained another way.
 */
public final class OnnxTrees {

    /** Deeper trees are not explained exactly (the recursion's depth; real forests stay far below). */
    static final int MAX_DEPTH = 200;
    private static final Set<String> PASS_THROUGH = Set.of("Cast", "Identity", "ZipMap", "ArgMax");

    /**
     * What was read.
     *
     * @param trees the ensemble, covers unset (ones)
     * @param outputs the names of its outputs: class labels, or target indices
     * @param postTransform ONNX's post_transform (NONE, LOGISTIC, SOFTMAX...): explanations are of the raw score before it
     * @param classifier whether it classifies
     * @param offset a {@code Scaler} before the trees: its offsets (per feature, or one for all), or null
     * @param scale its scales
     */
    public record Ensemble(DecisionTrees trees, List<String> outputs, String postTransform, boolean classifier,
                           double[] offset, double[] scale) {

        /**
         * The row the trees see: the input's floats through the scaler, in float arithmetic as ONNX
         * Runtime computes it.
         */
        public double[] treeRow(double[] row) {
            if (offset == null) {
                return row;
            }
            double[] out = new double[row.length];
            for (int i = 0; i < row.length; i++) {
                float o = (float) offset[offset.length == 1 ? 0 : i];
                float s = (float) scale[scale.length == 1 ? 0 : i];
                out[i] = ((float) row[i] - o) * s;
            }
            return out;
        }
    }

    private OnnxTrees() {
    }

    /**
     * @param model the model's bytes, streamed: only a tree ensemble's attributes are kept, the rest
     *     (a network's weights) is skipped as it is read
     * @param width the width of the model's feature matrix
     * @return the ensemble, or empty when the graph is not one tree ensemble read here
     */
    public static Optional<Ensemble> read(java.io.InputStream model, int width) {
        try {
            return ensemble(OnnxGraph.nodes(model), width);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // malformed, or a shape not explained exactly
        }
    }

    private static Optional<Ensemble> ensemble(List<OnnxGraph.Node> nodes, int width) {
        OnnxGraph.Node ensemble = null;
        OnnxGraph.Node scaler = null;
        for (OnnxGraph.Node n : nodes) {
            if (OnnxGraph.trees(n.op()) && n.domain().equals("ai.onnx.ml") && ensemble == null) {
                ensemble = n;
            } else if (n.op().equals("Scaler") && n.domain().equals("ai.onnx.ml") && scaler == null && ensemble == null) {
                scaler = n; // before the trees: a per-feature affine map, which leaves each feature's attribution as it is
            } else if (!PASS_THROUGH.contains(n.op())) {
                return Optional.empty();
            }
        }
        double[] offset = null;
        double[] scales = null;
        if (scaler != null) {
            offset = scaler.attributes().get("offset") instanceof double[] o ? o : new double[] {0};
            scales = scaler.attributes().get("scale") instanceof double[] c ? c : new double[] {1};
            if (offset.length != 1 && offset.length != width || scales.length != 1 && scales.length != width) {
                return Optional.empty();
            }
        }
        if (ensemble == null) {
            return Optional.empty();
        }
        boolean classifier = ensemble.op().equals("TreeEnsembleClassifier");
        Map<String, Object> a = ensemble.attributes();
        String prefix = classifier ? "class_" : "target_";
        long[] treeIds = longs(a, "nodes_treeids");
        long[] nodeIds = longs(a, "nodes_nodeids");
        long[] featureIds = longs(a, "nodes_featureids");
        double[] thresholds = a.get("nodes_values") instanceof double[] d ? d : (double[]) a.get("nodes_values_as_tensor");
        String[] modes = (String[]) a.get("nodes_modes");
        long[] trueIds = longs(a, "nodes_truenodeids");
        long[] falseIds = longs(a, "nodes_falsenodeids");
        long[] missing = a.get("nodes_missing_value_tracks_true") instanceof long[] m ? m : new long[treeIds.length];
        long[] leafTrees = longs(a, prefix + "treeids");
        long[] leafNodes = longs(a, prefix + "nodeids");
        long[] leafOutputs = longs(a, prefix + "ids");
        double[] weights = a.get(prefix + "weights") instanceof double[] d ? d : (double[]) a.get(prefix + "weights_as_tensor");
        int n = treeIds.length;
        if (thresholds == null || modes == null || nodeIds.length != n || featureIds.length != n || thresholds.length != n
                || modes.length != n || trueIds.length != n || falseIds.length != n || missing.length != n
                || weights == null || leafTrees.length != weights.length || leafNodes.length != weights.length
                || leafOutputs.length != weights.length) {
            return Optional.empty();
        }
        List<String> outputs = outputNames(a, classifier, leafOutputs);
        int k = outputs.size();
        double scale = 1;
        if (!classifier) {
            String aggregate = a.get("aggregate_function") instanceof String s ? s : "SUM";
            if (!aggregate.equals("SUM") && !aggregate.equals("AVERAGE")) {
                return Optional.empty(); // MIN and MAX are not additive over trees
            }
            if (aggregate.equals("AVERAGE")) {
                scale = 1.0 / java.util.Arrays.stream(treeIds).distinct().count();
            }
        }
        // per tree, its nodes in the order given; node ids map to indices
        Map<Long, Map<Long, Integer>> index = new LinkedHashMap<>();
        Map<Long, List<Integer>> rows = new HashMap<>(); // per tree, its nodes' places in the arrays
        for (int i = 0; i < n; i++) {
            Map<Long, Integer> tree = index.computeIfAbsent(treeIds[i], t -> new LinkedHashMap<>());
            if (tree.put(nodeIds[i], tree.size()) != null) {
                return Optional.empty(); // a node id twice
            }
            rows.computeIfAbsent(treeIds[i], t -> new ArrayList<>()).add(i);
        }
        Map<Long, double[]> leafValues = new HashMap<>();
        for (int j = 0; j < weights.length; j++) {
            Integer at = index.getOrDefault(leafTrees[j], Map.of()).get(leafNodes[j]);
            if (at == null || leafOutputs[j] < 0 || leafOutputs[j] >= k) {
                return Optional.empty();
            }
            double[] v = leafValues.computeIfAbsent(key(leafTrees[j], at), x -> new double[k]);
            v[(int) leafOutputs[j]] += weights[j] * scale;
        }
        List<DecisionTrees.Tree> trees = new ArrayList<>();
        for (Map.Entry<Long, Map<Long, Integer>> e : index.entrySet()) {
            List<Integer> places = rows.get(e.getKey());
            Map<Long, Integer> ids = e.getValue();
            int size = ids.size();
            int[] feature = new int[size];
            double[] threshold = new double[size];
            byte[] mode = new byte[size];
            int[] yes = new int[size];
            int[] no = new int[size];
            boolean[] missingYes = new boolean[size];
            double[] values = new double[size * k];
            double[] cover = new double[size];
            java.util.Arrays.fill(cover, 1);
            boolean[] child = new boolean[size];
            for (int local = 0; local < size; local++) {
                int at = places.get(local);
                mode[local] = mode(modes[at]);
                feature[local] = (int) featureIds[at];
                threshold[local] = thresholds[at];
                missingYes[local] = missing[at] != 0;
                if (mode[local] == DecisionTrees.LEAF) {
                    double[] v = leafValues.get(key(e.getKey(), local));
                    if (v != null) {
                        System.arraycopy(v, 0, values, local * k, k);
                    }
                } else {
                    Integer y = ids.get(trueIds[at]);
                    Integer f = ids.get(falseIds[at]);
                    if (y == null || f == null || featureIds[at] < 0 || featureIds[at] >= width) {
                        return Optional.empty();
                    }
                    yes[local] = y;
                    no[local] = f;
                    child[y] = true;
                    child[f] = true;
                }
            }
            if (child[0]) {
                return Optional.empty(); // the first node listed is not the root
            }
            DecisionTrees.Tree t = new DecisionTrees.Tree(feature, threshold, mode, yes, no, missingYes, values, cover);
            if (t.depth() > MAX_DEPTH) {
                return Optional.empty();
            }
            trees.add(t);
        }
        double[] base = new double[k];
        if (a.get("base_values") instanceof double[] b && b.length == k) {
            base = b;
        }
        String post = a.get("post_transform") instanceof String s ? s : "NONE";
        return Optional.of(new Ensemble(new DecisionTrees(trees, width, k, base), outputs, post, classifier, offset, scales));
    }

    private static long key(long tree, int local) {
        return tree * 1_000_003L + local;
    }

    private static List<String> outputNames(Map<String, Object> a, boolean classifier, long[] leafOutputs) {
        List<String> out = new ArrayList<>();
        if (classifier && a.get("classlabels_strings") instanceof String[] labels) {
            out.addAll(List.of(labels));
        } else if (classifier && a.get("classlabels_int64s") instanceof long[] labels) {
            for (long l : labels) {
                out.add(Long.toString(l));
            }
        } else {
            long targets = a.get("n_targets") instanceof Long t ? t : java.util.Arrays.stream(leafOutputs).max().orElse(0) + 1;
            for (long i = 0; i < targets; i++) {
                out.add(Long.toString(i));
            }
        }
        return out;
    }

    private static long[] longs(Map<String, Object> a, String name) {
        Object v = a.get(name);
        if (!(v instanceof long[] l)) {
            throw new IllegalArgumentException("no " + name);
        }
        return l;
    }

    private static byte mode(String m) {
        return switch (m) {
            case "BRANCH_LEQ" -> DecisionTrees.LEQ;
            case "BRANCH_LT" -> DecisionTrees.LT;
            case "BRANCH_GTE" -> DecisionTrees.GTE;
            case "BRANCH_GT" -> DecisionTrees.GT;
            case "BRANCH_EQ" -> DecisionTrees.EQ;
            case "BRANCH_NEQ" -> DecisionTrees.NEQ;
            case "LEAF" -> DecisionTrees.LEAF;
            default -> throw new IllegalArgumentException("mode " + m);
        };
    }
}
