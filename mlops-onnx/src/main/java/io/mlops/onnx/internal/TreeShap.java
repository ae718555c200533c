package io.mlops.onnx.internal;

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion and Lee 2018, "Consistent Individualized Feature
 * Attribution for Tree Ensembles", Algorithm 2): the Shapley values of a tree ensemble's raw output
 * for one row, where the value of a feature subset S is the tree's expectation with the features
 * outside S following the covers (the share of background rows that went each way). Polynomial:
 * O(trees x leaves x depth^2). Written from the paper's description: the path of unique features
 * from the root holds, per feature, the fraction of zero (feature absent) and one (present) paths
 * that flow through, and the weights of each subset size; EXTEND grows it by one feature, UNWIND
 * undoes one, and at a leaf each feature's attribution is the unwound weight sum times the
 * difference of its one and zero fractions times the leaf value.
 *
 * <p>Not thread-safe: one instance per thread (it keeps its path buffers); cheap to create.
 */
final class TreeShap {

    private final DecisionTrees ensemble;
    private final int outputs;
    // the path of every recursion level, flattened: level l's path starts at l * stride
    private final int[] pathFeature;
    private final double[] pathZero;
    private final double[] pathOne;
    private final double[] pathWeight;
    private final int stride;
    private double[] phi; // [feature * outputs + k], the last slot per output the expected value
    private double[] x;

    public TreeShap(DecisionTrees ensemble) {
        this.ensemble = ensemble;
        this.outputs = ensemble.outputs();
        int depth = 0;
        for (DecisionTrees.Tree t : ensemble.trees()) {
            depth = Math.max(depth, t.depth());
        }
        this.stride = depth + 2; // a path holds the root's placeholder and at most one element per level
        int size = stride * (depth + 1);
        this.pathFeature = new int[size];
        this.pathZero = new double[size];
        this.pathOne = new double[size];
        this.pathWeight = new double[size];
    }

    /**
     * The expected raw output per output (the base value plus each tree's cover-weighted mean leaf):
     * the attributions of a row sum to its raw output minus this.
     */
    public double[] expectedValue() {
        double[] e = ensemble.base();
        for (DecisionTrees.Tree t : ensemble.trees()) {
            addExpectation(t, 0, 1.0, e);
        }
        return e;
    }

    private void addExpectation(DecisionTrees.Tree t, int node, double weight, double[] e) {
        if (t.isLeaf(node)) {
            for (int k = 0; k < outputs; k++) {
                e[k] += weight * t.values()[node * outputs + k];
            }
            return;
        }
        addExpectation(t, t.yes()[node], weight * t.fraction(node, t.yes()[node]), e);
        addExpectation(t, t.no()[node], weight * t.fraction(node, t.no()[node]), e);
    }

    /**
     * The attributions of one row.
     *
     * @param row the features, as many as the ensemble's
     * @return {@code [feature][output]}
     */
    public double[][] shap(double[] row) {
        if (row.length != ensemble.features()) {
            throw new IllegalArgumentException("a row has " + ensemble.features() + " features, not " + row.length);
        }
        this.x = row;
        this.phi = new double[ensemble.features() * outputs];
        for (DecisionTrees.Tree t : ensemble.trees()) {
            recurse(t, 0, 0, 0, 1.0, 1.0, -1);
        }
        double[][] out = new double[ensemble.features()][outputs];
        for (int f = 0; f < out.length; f++) {
            System.arraycopy(phi, f * outputs, out[f], 0, outputs);
        }
        return out;
    }

    /**
     * One node: the path (of {@code length} elements, copied from the parent's level) is extended
     * by the split that led here, then a leaf adds its attributions, or the recursion goes on to the
     * child the row takes (hot) and the other (cold).
     */
    private void recurse(DecisionTrees.Tree t, int node, int depth, int parentLength, double zero, double one, int feature) {
        int at = depth * stride; // each recursion level has its own copy of the path (the parent's stays intact)
        if (depth > 0) {
            int from = (depth - 1) * stride;
            System.arraycopy(pathFeature, from, pathFeature, at, parentLength);
            System.arraycopy(pathZero, from, pathZero, at, parentLength);
            System.arraycopy(pathOne, from, pathOne, at, parentLength);
            System.arraycopy(pathWeight, from, pathWeight, at, parentLength);
        }
        extend(at, parentLength, zero, one, feature);
        int length = parentLength + 1;
        if (t.isLeaf(node)) {
            for (int i = 1; i < length; i++) {
                double w = unwoundSum(at, length, i);
                double scale = w * (pathOne[at + i] - pathZero[at + i]);
                int f = pathFeature[at + i] * outputs;
                for (int k = 0; k < outputs; k++) {
                    phi[f + k] += scale * t.values()[node * outputs + k];
                }
            }
            return;
        }
        int split = t.feature()[node];
        boolean yes = t.goesYes(node, x[split]);
        int hot = yes ? t.yes()[node] : t.no()[node];
        int cold = yes ? t.no()[node] : t.yes()[node];
        double incomingZero = 1.0;
        double incomingOne = 1.0;
        for (int i = 1; i < length; i++) {
            if (pathFeature[at + i] == split) { // split on before: undo that, this node's split stands for both
                incomingZero = pathZero[at + i];
                incomingOne = pathOne[at + i];
                unwind(at, length, i);
                length--;
                break;
            }
        }
        double hotZero = incomingZero * t.fraction(node, hot);
        double coldZero = incomingZero * t.fraction(node, cold);
        // a child no path reaches (both fractions zero: no cover, and not the row's way) adds nothing
        if (hotZero != 0 || incomingOne != 0) {
            recurse(t, hot, depth + 1, length, hotZero, incomingOne, split);
        }
        if (coldZero != 0) {
            recurse(t, cold, depth + 1, length, coldZero, 0.0, split);
        }
    }

    /** EXTEND: appends a feature with its zero and one fractions and updates the subset-size weights. */
    private void extend(int at, int length, double zero, double one, int feature) {
        pathFeature[at + length] = feature;
        pathZero[at + length] = zero;
        pathOne[at + length] = one;
        pathWeight[at + length] = length == 0 ? 1.0 : 0.0;
        for (int i = length - 1; i >= 0; i--) {
            pathWeight[at + i + 1] += one * pathWeight[at + i] * (i + 1) / (length + 1);
            pathWeight[at + i] = zero * pathWeight[at + i] * (length - i) / (length + 1);
        }
    }

    /** UNWIND: removes element i, restoring the weights as if it had never been extended. */
    private void unwind(int at, int length, int i) {
        double one = pathOne[at + i];
        double zero = pathZero[at + i];
        double next = pathWeight[at + length - 1];
        for (int j = length - 2; j >= 0; j--) {
            if (one != 0) {
                double w = pathWeight[at + j];
                pathWeight[at + j] = next * length / ((j + 1) * one);
                next = w - pathWeight[at + j] * zero * (length - 1 - j) / length;
            } else {
                pathWeight[at + j] = pathWeight[at + j] * length / (zero * (length - 1 - j));
            }
        }
        for (int j = i; j < length - 1; j++) {
            pathFeature[at + j] = pathFeature[at + j + 1];
            pathZero[at + j] = pathZero[at + j + 1];
            pathOne[at + j] = pathOne[at + j + 1];
        }
    }

    /** The sum of the weights UNWIND(i) would leave, without changing the path. */
    private double unwoundSum(int at, int length, int i) {
        double one = pathOne[at + i];
        double zero = pathZero[at + i];
        double next = pathWeight[at + length - 1];
        double total = 0;
        for (int j = length - 2; j >= 0; j--) {
            if (one != 0) {
                double w = next * length / ((j + 1) * one);
                total += w;
                next = pathWeight[at + j] - w * zero * (length - 1 - j) / length;
            } else {
                total += pathWeight[at + j] * length / (zero * (length - 1 - j));
            }
        }
        return total;
    }
}
