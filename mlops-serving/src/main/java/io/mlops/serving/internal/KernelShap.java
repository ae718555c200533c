package io.mlops.serving.internal;

import io.mlops.serving.Explainer;
import io.mlops.serving.Explanation;
import io.mlops.serving.FeatureSchema;
import io.mlops.serving.Prediction;
import io.mlops.serving.Predictor;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealVector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Kernel SHAP (Lundberg and Lee 2017, "A Unified Approach to Interpreting Model Predictions"): the
 * value of a coalition z of features is the mean prediction over the background rows with the
 * features in z set to the explained row's; the attributions solve the weighted least squares of
 * those values on z with the Shapley kernel weights {@code (M-1) / (C(M,|z|) |z| (M-|z|))}, under
 * the constraint that they sum to f(x) - E[f] (the last one eliminated). Every coalition is used
 * when there are at most {@value #EXACT_FEATURES} features — the solution is then the exact
 * Shapley values of that game — else sampled coalitions (by the kernel's size distribution, each
 * with its complement; weight one each). Thread-safe: the state is immutable, each call draws from
 * its own seeded random.
 */
public final class KernelShap implements Explainer {

    static final int EXACT_FEATURES = 11;
    static final int MAX_BACKGROUND = 1_000;

    private final Predictor predictor;
    private final List<Map<String, Object>> background;
    private final List<String> features;
    private final List<String> outputs;
    private final double[] expected;
    private final int samples;
    private final long seed;

    public KernelShap(Predictor predictor, List<Map<String, Object>> background, int samples, long seed) {
        this.predictor = java.util.Objects.requireNonNull(predictor, "predictor");
        if (background == null || background.isEmpty() || background.size() > MAX_BACKGROUND) {
            throw new IllegalArgumentException("a background sample has 1 to " + MAX_BACKGROUND + " rows");
        }
        // copies that keep a missing (null) value of an optional feature
        this.background = background.stream().map(r -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(r))).toList();
        this.features = predictor.schema().map(s -> s.features().stream().map(FeatureSchema.Feature::name).toList())
                .filter(n -> !n.isEmpty())
                .orElseGet(() -> List.copyOf(background.get(0).keySet()));
        if (features.isEmpty()) {
            throw new IllegalArgumentException("the background's rows have no features");
        }
        if (samples < 2 * features.size()) {
            throw new IllegalArgumentException("sample at least 2 x " + features.size() + " coalitions");
        }
        this.samples = samples;
        this.seed = seed;
        List<Prediction> base = predictor.predictBatch(this.background);
        this.outputs = outputNames(base.get(0));
        this.expected = mean(base);
    }

    private static List<String> outputNames(Prediction p) {
        if (p.probabilities() != null && !p.probabilities().isEmpty()) {
            return List.copyOf(p.probabilities().keySet());
        }
        if (p.score() != null || p.label() instanceof Number) {
            return List.of("value");
        }
        throw new IllegalArgumentException("the predictor gives no number to explain (no probabilities, score or numeric label)");
    }

    private double[] values(Prediction p) {
        double[] v = new double[outputs.size()];
        if (outputs.size() == 1 && outputs.get(0).equals("value") && (p.probabilities() == null || p.probabilities().isEmpty())) {
            v[0] = p.score() != null ? p.score() : ((Number) p.label()).doubleValue();
            return v;
        }
        for (int k = 0; k < v.length; k++) {
            Double d = p.probabilities() == null ? null : p.probabilities().get(outputs.get(k));
            v[k] = d == null ? 0 : d;
        }
        return v;
    }

    private double[] mean(List<Prediction> predictions) {
        double[] sum = new double[outputs.size()];
        for (Prediction p : predictions) {
            double[] v = values(p);
            for (int k = 0; k < sum.length; k++) {
                sum[k] += v[k];
            }
        }
        for (int k = 0; k < sum.length; k++) {
            sum[k] /= predictions.size();
        }
        return sum;
    }

    @Override
    public Explanation explain(Map<String, Object> row) {
        int m = features.size();
        double[] fx = values(predictor.predict(row));
        double[][] phi = new double[outputs.size()][m];
        if (m == 1) {
            for (int k = 0; k < outputs.size(); k++) {
                phi[k][0] = fx[k] - expected[k];
            }
            return explanation(fx, phi);
        }
        List<boolean[]> coalitions = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        if (m <= EXACT_FEATURES) {
            for (int mask = 1; mask < (1 << m) - 1; mask++) {
                boolean[] z = new boolean[m];
                for (int i = 0; i < m; i++) {
                    z[i] = (mask & (1 << i)) != 0;
                }
                int s = Integer.bitCount(mask);
                weights.add((m - 1) / (binomial(m, s) * s * (m - s)));
                coalitions.add(z);
            }
        } else {
            sample(m, coalitions, weights);
        }
        double[][] value = new double[coalitions.size()][];
        for (int c = 0; c < coalitions.size(); c++) {
            value[c] = coalitionValue(row, coalitions.get(c));
        }
        for (int k = 0; k < outputs.size(); k++) {
            phi[k] = solve(m, coalitions, weights, value, k, fx[k] - expected[k]);
        }
        return explanation(fx, phi);
    }

    /** Paired coalitions, sizes drawn by the Shapley kernel's mass per size, (M-1) / (s (M-s)). */
    private void sample(int m, List<boolean[]> coalitions, List<Double> weights) {
        Random random = new Random(seed);
        double[] mass = new double[m];
        double total = 0;
        for (int s = 1; s < m; s++) {
            mass[s] = (m - 1.0) / (s * (double) (m - s));
            total += mass[s];
        }
        for (int n = 0; n + 1 < samples; n += 2) {
            double u = random.nextDouble() * total;
            int size = 1;
            while (size < m - 1 && (u -= mass[size]) > 0) {
                size++;
            }
            boolean[] z = new boolean[m];
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, random);
            for (int i = 0; i < size; i++) {
                z[order.get(i)] = true;
            }
            boolean[] complement = new boolean[m];
            for (int i = 0; i < m; i++) {
                complement[i] = !z[i];
            }
            coalitions.add(z);
            weights.add(1.0);
            coalitions.add(complement);
            weights.add(1.0);
        }
    }

    /** The mean prediction over the background with the coalition's features set to the row's. */
    private double[] coalitionValue(Map<String, Object> row, boolean[] z) {
        List<Map<String, Object>> rows = new ArrayList<>(background.size());
        for (Map<String, Object> b : background) {
            Map<String, Object> mixed = new LinkedHashMap<>(b);
            for (int i = 0; i < z.length; i++) {
                if (z[i]) {
                    mixed.put(features.get(i), row.get(features.get(i)));
                }
            }
            rows.add(mixed);
        }
        return mean(predictor.predictBatch(rows));
    }

    /**
     * The constrained weighted least squares for one output: phi_M = delta - sum of the others, so
     * y - z_M delta = sum_i (z_i - z_M) phi_i over the first M-1.
     */
    private double[] solve(int m, List<boolean[]> coalitions, List<Double> weights, double[][] value, int k, double delta) {
        double[][] a = new double[m - 1][m - 1];
        double[] b = new double[m - 1];
        double[] xi = new double[m - 1];
        for (int c = 0; c < coalitions.size(); c++) {
            boolean[] z = coalitions.get(c);
            double zm = z[m - 1] ? 1 : 0;
            double y = value[c][k] - expected[k] - zm * delta;
            double w = weights.get(c);
            for (int i = 0; i < m - 1; i++) {
                xi[i] = (z[i] ? 1 : 0) - zm;
            }
            for (int i = 0; i < m - 1; i++) {
                if (xi[i] == 0) {
                    continue;
                }
                b[i] += w * xi[i] * y;
                for (int j = 0; j < m - 1; j++) {
                    a[i][j] += w * xi[i] * xi[j];
                }
            }
        }
        RealVector solution = new QRDecomposition(new Array2DRowRealMatrix(a, false)).getSolver().solve(new ArrayRealVector(b, false));
        double[] phi = new double[m];
        double rest = delta;
        for (int i = 0; i < m - 1; i++) {
            phi[i] = solution.getEntry(i);
            rest -= phi[i];
        }
        phi[m - 1] = rest;
        return phi;
    }

    private Explanation explanation(double[] fx, double[][] phi) {
        List<Explanation.Output> out = new ArrayList<>();
        for (int k = 0; k < outputs.size(); k++) {
            Map<String, Double> attributions = new LinkedHashMap<>();
            for (int i = 0; i < features.size(); i++) {
                attributions.put(features.get(i), phi[k][i]);
            }
            out.add(new Explanation.Output(outputs.get(k), expected[k], fx[k], attributions));
        }
        return new Explanation("kernel_shap", features, out);
    }

    private static double binomial(int n, int k) {
        double r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }
}
