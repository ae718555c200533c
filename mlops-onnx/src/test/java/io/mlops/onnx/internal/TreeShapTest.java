package io.mlops.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TreeSHAP against the definition: for generated trees and forests of up to 10 features, each
 * feature's Shapley value computed by enumerating every subset of the other features, the value of
 * a subset being the tree's path-dependent conditional expectation (the features outside it follow
 * the covers) — equal to 1e-9; and the attributions sum to the raw output minus the expected value.
 */
class TreeShapTest {

    /** A random tree: features repeat along paths (so UNWIND runs), every comparison, missing values both ways. */
    static DecisionTrees.Tree randomTree(Random r, int features, int outputs, int maxDepth, boolean zeroCovers) {
        List<int[]> nodes = new ArrayList<>(); // feature, mode, yes, no, missingYes
        List<Double> thresholds = new ArrayList<>();
        List<Double> covers = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        build(r, features, outputs, maxDepth, 0, 1_000 * r.nextDouble() + 1, zeroCovers, nodes, thresholds, covers, values);
        int n = nodes.size();
        int[] feature = new int[n];
        double[] threshold = new double[n];
        byte[] mode = new byte[n];
        int[] yes = new int[n];
        int[] no = new int[n];
        boolean[] missingYes = new boolean[n];
        double[] value = new double[n * outputs];
        double[] cover = new double[n];
        for (int i = 0; i < n; i++) {
            int[] a = nodes.get(i);
            feature[i] = a[0];
            mode[i] = (byte) a[1];
            yes[i] = a[2];
            no[i] = a[3];
            missingYes[i] = a[4] == 1;
            threshold[i] = thresholds.get(i);
            cover[i] = covers.get(i);
            System.arraycopy(values.get(i), 0, value, i * outputs, outputs);
        }
        return new DecisionTrees.Tree(feature, threshold, mode, yes, no, missingYes, value, cover);
    }

    private static int build(Random r, int features, int outputs, int maxDepth, int depth, double cover, boolean zeroCovers,
                             List<int[]> nodes, List<Double> thresholds, List<Double> covers, List<double[]> values) {
        int id = nodes.size();
        boolean leaf = depth == maxDepth || depth > 0 && r.nextDouble() < 0.2;
        int[] a = {leaf ? 0 : r.nextInt(features), leaf ? DecisionTrees.LEAF : r.nextInt(4), -1, -1, r.nextInt(2)};
        nodes.add(a);
        thresholds.add(r.nextGaussian());
        covers.add(cover);
        double[] v = new double[outputs];
        if (leaf) {
            for (int k = 0; k < outputs; k++) {
                v[k] = r.nextGaussian() * 3;
            }
        }
        values.add(v);
        if (!leaf) {
            double share = zeroCovers && r.nextDouble() < 0.1 ? 0 : r.nextDouble();
            a[2] = build(r, features, outputs, maxDepth, depth + 1, cover * share, zeroCovers, nodes, thresholds, covers, values);
            a[3] = build(r, features, outputs, maxDepth, depth + 1, cover * (1 - share), zeroCovers, nodes, thresholds, covers, values);
        }
        return id;
    }

    /** E[f(x) | x_S] of one tree: the features in S follow the row, the others the covers. */
    static double conditional(DecisionTrees.Tree t, int node, double[] x, int subset, int k, int outputs) {
        if (t.isLeaf(node)) {
            return t.values()[node * outputs + k];
        }
        int f = t.feature()[node];
        if ((subset & (1 << f)) != 0) {
            return conditional(t, t.goesYes(node, x[f]) ? t.yes()[node] : t.no()[node], x, subset, k, outputs);
        }
        return t.fraction(node, t.yes()[node]) * conditional(t, t.yes()[node], x, subset, k, outputs)
                + t.fraction(node, t.no()[node]) * conditional(t, t.no()[node], x, subset, k, outputs);
    }

    /** Shapley values by enumerating every subset: [feature][output]. */
    static double[][] bruteForce(DecisionTrees ensemble, double[] x) {
        int m = ensemble.features();
        int outputs = ensemble.outputs();
        double[][] value = new double[1 << m][outputs];
        for (int s = 0; s < 1 << m; s++) {
            for (DecisionTrees.Tree t : ensemble.trees()) {
                for (int k = 0; k < outputs; k++) {
                    value[s][k] += conditional(t, 0, x, s, k, outputs);
                }
            }
        }
        double[] factorial = new double[m + 1];
        factorial[0] = 1;
        for (int i = 1; i <= m; i++) {
            factorial[i] = factorial[i - 1] * i;
        }
        double[][] phi = new double[m][outputs];
        for (int i = 0; i < m; i++) {
            for (int s = 0; s < 1 << m; s++) {
                if ((s & (1 << i)) != 0) {
                    continue;
                }
                int size = Integer.bitCount(s);
                double weight = factorial[size] * factorial[m - size - 1] / factorial[m];
                for (int k = 0; k < outputs; k++) {
                    phi[i][k] += weight * (value[s | (1 << i)][k] - value[s][k]);
                }
            }
        }
        return phi;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void equalsTheShapleyValuesOfEverySubset(long seed) {
        Random r = new Random(seed);
        int features = 1 + r.nextInt(10);
        int outputs = 1 + r.nextInt(3);
        int trees = seed % 4 == 0 ? 1 : 1 + r.nextInt(8);
        List<DecisionTrees.Tree> forest = new ArrayList<>();
        for (int i = 0; i < trees; i++) {
            forest.add(randomTree(r, features, outputs, 1 + r.nextInt(8), seed % 3 == 0));
        }
        double[] base = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            base[k] = r.nextGaussian();
        }
        DecisionTrees ensemble = new DecisionTrees(forest, features, outputs, base);
        TreeShap shap = new TreeShap(ensemble);
        double[] expected = shap.expectedValue();
        for (int row = 0; row < 5; row++) {
            double[] x = new double[features];
            for (int f = 0; f < features; f++) {
                x[f] = r.nextDouble() < 0.05 ? Double.NaN : r.nextGaussian();
            }
            double[][] phi = shap.shap(x);
            double[][] exact = bruteForce(ensemble, x);
            double[] prediction = ensemble.predict(x);
            for (int k = 0; k < outputs; k++) {
                double sum = expected[k];
                for (int f = 0; f < features; f++) {
                    assertThat(phi[f][k]).as("seed %d row %d feature %d output %d", seed, row, f, k).isCloseTo(exact[f][k], within(1e-9));
                    sum += phi[f][k];
                }
                assertThat(sum).as("local accuracy").isCloseTo(prediction[k], within(1e-9));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25})
    void coversFromABackgroundSampleGiveTheSameExactValues(long seed) {
        Random r = new Random(seed);
        int features = 6;
        List<DecisionTrees.Tree> forest = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            forest.add(randomTree(r, features, 1, 6, false));
        }
        List<double[]> background = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double[] b = new double[features];
            for (int f = 0; f < features; f++) {
                b[f] = r.nextGaussian();
            }
            background.add(b);
        }
        DecisionTrees ensemble = new DecisionTrees(forest, features, 1, new double[1]).withCovers(background);
        // the expected value is the background's mean raw output
        double mean = background.stream().mapToDouble(b -> ensemble.predict(b)[0]).average().orElseThrow();
        TreeShap shap = new TreeShap(ensemble);
        assertThat(shap.expectedValue()[0]).isCloseTo(mean, within(1e-9));
        double[] x = background.get(0);
        double[][] phi = shap.shap(x);
        double[][] exact = bruteForce(ensemble, x);
        for (int f = 0; f < features; f++) {
            assertThat(phi[f][0]).isCloseTo(exact[f][0], within(1e-9));
        }
    }
}
