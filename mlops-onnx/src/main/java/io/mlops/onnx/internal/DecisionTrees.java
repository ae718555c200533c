package io.mlops.onnx.internal;

import java.util.List;
import java.util.Objects;

/**
 * A tree ensemble as ONNX's {@code TreeEnsembleClassifier} / {@code TreeEnsembleRegressor} define
 * it, in arrays: per node a feature, a threshold, a comparison, the child taken when it holds
 * ("yes") and when not ("no"), where a missing value goes, its cover (how many background rows
 * reach it) and, at leaves, one value per output. The ensemble's raw output for an output k is the
 * sum over trees of the leaf's value k, plus the base value k (before any post-transform).
 *
 * <p>Immutable after construction; thread-safe.
 */
final class DecisionTrees {

    /** The comparisons of ONNX's {@code nodes_modes}; {@link #LEAF} marks a leaf. */
    public static final byte LEQ = 0, LT = 1, GTE = 2, GT = 3, EQ = 4, NEQ = 5, LEAF = 6;

    /**
     * One tree; node 0 is the root.
     *
     * @param feature the feature index per node (ignored at leaves)
     * @param threshold the threshold per node
     * @param mode the comparison per node
     * @param yes the child when the comparison holds
     * @param no the child otherwise
     * @param missingYes whether a missing value (NaN) takes the yes child
     * @param values per node, {@code outputs} leaf values (zeros at inner nodes), flattened
     * @param cover per node, the weight of rows reaching it
     */
    public record Tree(int[] feature, double[] threshold, byte[] mode, int[] yes, int[] no, boolean[] missingYes,
                       double[] values, double[] cover) {

        public Tree {
            int n = feature.length;
            if (threshold.length != n || mode.length != n || yes.length != n || no.length != n || missingYes.length != n
                    || cover.length != n || n == 0) {
                throw new IllegalArgumentException("a tree's node arrays differ in length");
            }
        }

        public boolean isLeaf(int node) {
            return mode[node] == LEAF;
        }

        /** Whether a value takes the yes child, as ONNX Runtime decides it. */
        public boolean goesYes(int node, double x) {
            if (Double.isNaN(x)) {
                return missingYes[node];
            }
            double t = threshold[node];
            return switch (mode[node]) {
                case LEQ -> x <= t;
                case LT -> x < t;
                case GTE -> x >= t;
                case GT -> x > t;
                case EQ -> x == t;
                case NEQ -> x != t;
                default -> throw new IllegalStateException("a leaf has no comparison");
            };
        }

        /**
         * The share of a node's cover that goes to one child: the path-dependent expectation's
         * weight. A node no background row reached splits its weight evenly.
         */
        public double fraction(int node, int child) {
            double parent = cover[node];
            return parent > 0 ? cover[child] / parent : 0.5;
        }

        /** The deepest leaf's depth (the root alone: 0). */
        public int depth() {
            return depth(0, 0);
        }

        private int depth(int node, int level) {
            if (level > feature.length) {
                throw new IllegalArgumentException("a tree's nodes form a cycle");
            }
            return isLeaf(node) ? level : Math.max(depth(yes[node], level + 1), depth(no[node], level + 1));
        }
    }

    private final List<Tree> trees;
    private final int features;
    private final int outputs;
    private final double[] base;

    /**
     * @param trees the trees
     * @param features how many input features the nodes index
     * @param outputs values per leaf
     * @param base the base value per output
     */
    public DecisionTrees(List<Tree> trees, int features, int outputs, double[] base) {
        this.trees = List.copyOf(trees);
        this.features = features;
        this.outputs = outputs;
        this.base = Objects.requireNonNull(base).clone();
        if (base.length != outputs || outputs < 1 || features < 1) {
            throw new IllegalArgumentException("an ensemble has at least one output and one feature, and a base value per output");
        }
        for (Tree t : this.trees) {
            if (t.values().length != t.feature().length * outputs) {
                throw new IllegalArgumentException("a tree's leaf values are not " + outputs + " per node");
            }
            for (int i = 0; i < t.feature().length; i++) {
                int n = t.feature().length;
                if (!t.isLeaf(i) && (t.feature()[i] < 0 || t.feature()[i] >= features
                        || t.yes()[i] < 0 || t.no()[i] < 0 || t.yes()[i] >= n || t.no()[i] >= n)) {
                    throw new IllegalArgumentException("node " + i + " names a feature or a child that does not exist");
                }
            }
            t.depth(); // refuses cycles
        }
    }

    public List<Tree> trees() {
        return trees;
    }

    public int features() {
        return features;
    }

    public int outputs() {
        return outputs;
    }

    public double[] base() {
        return base.clone();
    }

    /** The raw output (before any post-transform) for one row. */
    public double[] predict(double[] x) {
        double[] out = base.clone();
        for (Tree t : trees) {
            int node = 0;
            while (!t.isLeaf(node)) {
                node = t.goesYes(node, x[t.feature()[node]]) ? t.yes()[node] : t.no()[node];
            }
            for (int k = 0; k < outputs; k++) {
                out[k] += t.values()[node * outputs + k];
            }
        }
        return out;
    }

    /** A copy whose covers count the rows of a background sample reaching each node. */
    public DecisionTrees withCovers(List<double[]> background) {
        if (background.isEmpty()) {
            throw new IllegalArgumentException("a background sample has at least one row");
        }
        List<Tree> out = new java.util.ArrayList<>(trees.size());
        for (Tree t : trees) {
            double[] cover = new double[t.feature().length];
            for (double[] x : background) {
                if (x.length != features) {
                    throw new IllegalArgumentException("a background row has " + x.length + " values, not " + features);
                }
                int node = 0;
                cover[node]++;
                while (!t.isLeaf(node)) {
                    node = t.goesYes(node, x[t.feature()[node]]) ? t.yes()[node] : t.no()[node];
                    cover[node]++;
                }
            }
            out.add(new Tree(t.feature(), t.threshold(), t.mode(), t.yes(), t.no(), t.missingYes(), t.values(), cover));
        }
        return new DecisionTrees(out, features, outputs, base);
    }
}
