package io.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kernel SHAP against the definition: the interventional Shapley values (the value of a subset S is
 * the mean prediction over the background with the features in S set to the row's) computed by
 * enumerating every subset. With at most 11 features every coalition is used and the values are
 * exact (1e-9); with 14 features and 4,096 sampled coalitions they are within the tolerance stated
 * below.
 */
class KernelShapTest {

    /** A nonlinear model with interactions: a score. */
    static double f(double[] x) {
        double y = 0;
        for (int i = 0; i < x.length; i++) {
            y += (i + 1) * 0.3 * x[i];
        }
        y += 1.5 * x[0] * x[x.length - 1] + Math.sin(x[1 % x.length]) * 2 + Math.max(0, x[x.length / 2]) * x[0];
        return y;
    }

    static Predictor regressor(int m) {
        return features -> { double y = f(row(features, m)); return new Prediction(y, null, y); };
    }

    static double[] row(Map<String, Object> features, int m) {
        double[] x = new double[m];
        for (int i = 0; i < m; i++) {
            x[i] = ((Number) features.get("f" + i)).doubleValue();
        }
        return x;
    }

    static Map<String, Object> instance(double[] x) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < x.length; i++) {
            m.put("f" + i, x[i]);
        }
        return m;
    }

    static double[] bruteForce(int m, double[] x, List<double[]> background) {
        double[] value = new double[1 << m];
        for (int s = 0; s < 1 << m; s++) {
            double sum = 0;
            for (double[] b : background) {
                double[] mixed = b.clone();
                for (int i = 0; i < m; i++) {
                    if ((s & (1 << i)) != 0) {
                        mixed[i] = x[i];
                    }
                }
                sum += f(mixed);
            }
            value[s] = sum / background.size();
        }
        double[] fact = new double[m + 1];
        fact[0] = 1;
        for (int i = 1; i <= m; i++) {
            fact[i] = fact[i - 1] * i;
        }
        double[] phi = new double[m];
        for (int i = 0; i < m; i++) {
            for (int s = 0; s < 1 << m; s++) {
                if ((s & (1 << i)) == 0) {
                    int size = Integer.bitCount(s);
                    phi[i] += fact[size] * fact[m - size - 1] / fact[m] * (value[s | (1 << i)] - value[s]);
                }
            }
        }
        return phi;
    }

    static List<double[]> background(Random r, int m, int rows) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double[] b = new double[m];
            for (int j = 0; j < m; j++) {
                b[j] = r.nextGaussian();
            }
            out.add(b);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8, 11})
    void everyCoalitionGivesTheExactShapleyValues(int m) {
        Random r = new Random(m);
        List<double[]> bg = background(r, m, 15);
        Explainer explainer = Explainer.kernelShap(regressor(m), bg.stream().map(KernelShapTest::instance).toList());
        for (int n = 0; n < 3; n++) {
            double[] x = background(r, m, 1).get(0);
            Explanation e = explainer.explain(instance(x));
            double[] exact = bruteForce(m, x, bg);
            Explanation.Output out = e.output("value");
            assertThat(e.method()).isEqualTo("kernel_shap");
            double sum = out.expectedValue();
            for (int i = 0; i < m; i++) {
                assertThat(out.attributions().get("f" + i)).as("m=%d feature %d", m, i).isCloseTo(exact[i], within(1e-9));
                sum += out.attributions().get("f" + i);
            }
            assertThat(sum).isCloseTo(f(x), within(1e-9));
            assertThat(out.value()).isCloseTo(f(x), within(1e-12));
        }
    }

    @Test
    void sampledCoalitionsEstimateTheShapleyValues() {
        int m = 14;
        Random r = new Random(14);
        List<double[]> bg = background(r, m, 10);
        Explainer explainer = Explainer.kernelShap(regressor(m), bg.stream().map(KernelShapTest::instance).toList(), 4_096, 7);
        double worst = 0;
        double scale = 0;
        for (int n = 0; n < 3; n++) {
            double[] x = background(r, m, 1).get(0);
            Explanation.Output out = explainer.explain(instance(x)).output("value");
            double[] exact = bruteForce(m, x, bg);
            double sum = out.expectedValue();
            for (int i = 0; i < m; i++) {
                worst = Math.max(worst, Math.abs(out.attributions().get("f" + i) - exact[i]));
                scale = Math.max(scale, Math.abs(exact[i]));
                sum += out.attributions().get("f" + i);
            }
            assertThat(sum).as("local accuracy holds exactly by construction").isCloseTo(f(x), within(1e-9));
        }
        // stated tolerance: within 5% of the largest attribution at 4,096 coalitions (of 16,382)
        assertThat(worst).isLessThan(0.05 * scale);
    }

    @Test
    void aClassifierIsExplainedPerClassProbability() {
        Predictor classifier = features -> {
            double z = ((Number) features.get("a")).doubleValue() - 2 * ((Number) features.get("b")).doubleValue();
            double p = 1 / (1 + Math.exp(-z));
            return new Prediction(p > 0.5 ? "yes" : "no", Map.of("yes", p, "no", 1 - p), null);
        };
        List<Map<String, Object>> bg = List.of(Map.of("a", 0.0, "b", 0.0), Map.of("a", 1.0, "b", 1.0), Map.of("a", -1.0, "b", 0.5));
        Explanation e = Explainer.kernelShap(classifier, bg).explain(Map.of("a", 2.0, "b", -1.0));
        assertThat(e.outputs()).extracting(Explanation.Output::name).containsExactlyInAnyOrder("yes", "no");
        Explanation.Output yes = e.output("yes");
        Explanation.Output no = e.output("no");
        assertThat(yes.attributions().get("a")).isPositive();
        assertThat(yes.attributions().get("b")).isPositive(); // b = -1 is below the background: it raises "yes"
        assertThat(no.attributions().get("a")).isCloseTo(-yes.attributions().get("a"), within(1e-9));
        assertThat(yes.expectedValue() + yes.attributions().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(yes.value(), within(1e-9));
    }

    @Test
    void aMissingOptionalValueInTheBackgroundIsKept() {
        // a model with an optional feature: absent counts as zero
        Predictor optional = features -> {
            Object b = features.get("b");
            double y = ((Number) features.get("a")).doubleValue() + (b == null ? 0 : ((Number) b).doubleValue());
            return new Prediction(y, null, y);
        };
        Map<String, Object> missing = new java.util.HashMap<>();
        missing.put("a", 1.0);
        missing.put("b", null);
        List<Map<String, Object>> bg = List.of(missing, Map.of("a", 3.0, "b", 2.0));
        Explanation.Output out = Explainer.kernelShap(optional, bg).explain(Map.of("a", 2.0, "b", 4.0)).output("value");
        // additive model: each attribution is the feature's value minus its background mean (null counting as 0)
        assertThat(out.attributions().get("a")).isCloseTo(2.0 - 2.0, within(1e-9));
        assertThat(out.attributions().get("b")).isCloseTo(4.0 - 1.0, within(1e-9));
        assertThat(ModelServer.builder().explanations(bg)).isNotNull();
    }

    @Test
    void badBackgroundsAreRefused() {
        assertThatThrownBy(() -> Explainer.kernelShap(regressor(2), List.of())).isInstanceOf(IllegalArgumentException.class);
        List<Map<String, Object>> big = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            big.add(Map.of("f0", 1.0, "f1", 2.0));
        }
        assertThatThrownBy(() -> Explainer.kernelShap(regressor(2), big)).isInstanceOf(IllegalArgumentException.class);
        Predictor labels = features -> new Prediction("a", null, null);
        assertThatThrownBy(() -> Explainer.kernelShap(labels, List.of(Map.of("x", 1.0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no number");
    }
}
