package io.mlops.drift.stats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The edges where the statistics once disagreed with SciPy or lost their digits. */
class EdgeCaseTest {

    static final double INF = Double.POSITIVE_INFINITY;

    /** SciPy's test_inf_values: numpy's arithmetic on infinite gaps (0 * inf and inf - inf are NaN). */
    @Test
    void wassersteinWithInfinitiesAgreesWithScipy() {
        assertThat(Wasserstein.distance(new double[] {1, 2, INF}, new double[] {-INF, 1})).isEqualTo(INF);
        assertThat(Wasserstein.distance(new double[] {1, 2, INF}, new double[] {INF, 1})).isNaN();
        assertThat(Wasserstein.distance(new double[] {1, -INF, INF}, new double[] {1, 1})).isEqualTo(INF);
        assertThat(Wasserstein.distance(new double[] {1, 2, 3}, new double[] {1, 2, 3, INF})).isEqualTo(INF);
        assertThat(Wasserstein.distance(new double[] {-INF, -INF, 0}, new double[] {0, 1})).isNaN();
        assertThat(Wasserstein.distance(new double[] {INF, INF}, new double[] {INF})).isNaN();
        // and finite samples keep their values (scipy.stats.wasserstein_distance)
        assertThat(Wasserstein.distance(new double[] {0, 1, 3}, new double[] {5, 6, 8})).isCloseTo(5.0, within(1e-12));
        assertThat(Wasserstein.distance(new double[] {3.4, 3.9, 7.5, 7.8}, new double[] {4.5, 1.4}))
                .isCloseTo(2.7, within(1e-12));
    }

    @Test
    void chiSquareOfAnAllZeroTableThrowsLikeOtherZeroMargins() {
        assertThatThrownBy(() -> ChiSquare.contingency(new long[][] {{0, 0}, {0, 0}}, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero");
        assertThatThrownBy(() -> ChiSquare.contingency(new long[][] {{0, 0}, {0, 0}}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero");
    }

    /** SciPy switches EXACT to the asymptotic method when n1/g >= (2^31 - 1) / (n2/g). */
    @Test
    void exactKsFallsBackToAsymptoticWhereScipyDoes() {
        double[] a = new double[50_000];
        double[] b = new double[49_999];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = i + 150.3;
        }
        TestResult exact = KolmogorovSmirnov.test(a, b, KsMethod.EXACT);
        TestResult asymptotic = KolmogorovSmirnov.test(a, b, KsMethod.ASYMPTOTIC);
        assertThat(exact.pValue()).isEqualTo(asymptotic.pValue());
    }

    /** scipy.stats.kstwo.sf(x, n) (SciPy 1.17.1) where 2 * smirnov(n, x) applies: n * x^2 >= 2.2, large n. */
    @ParameterizedTest
    @CsvSource({
        "550000, 0.002, 0.024521909701487456",
        "550000, 0.002335496832484569, 0.004949767524675612",
        "550000, 0.0030151134457776364, 9.061606323524739e-05",
        "550000, 0.004264014327112209, 4.110306488655849e-09",
        "550000, 0.006030226891555273, 8.460020357634486e-18",
        "750000, 0.0017126976771553507, 0.02452662091826917",
        "750000, 0.0025819888974716113, 9.064262320917326e-05",
        "750000, 0.0051639777949432225, 8.46560077694805e-18",
        "1000000, 0.0014832396974191326, 0.024530382692940323",
        "1000000, 0.0017320508075688774, 0.004951770014533108",
        "1000000, 0.0031622776601683794, 4.1134612426882296e-09",
        "1000000, 0.00447213595499958, 8.469983162681875e-18"})
    void kolmogorovTailForLargeSamplesMatchesScipyTo1e9(int n, double x, double expected) {
        assertThat(KolmogorovDistribution.sf(n, x)).isCloseTo(expected, within(expected * 1e-9));
    }

    @Test
    void hellingerOfIdenticalDistributionsIsExactlyZero() {
        double[] p = {0.1, 0.2, 0.3, 0.4};
        assertThat(Hellinger.distance(p, p)).isEqualTo(0.0);
        java.util.Random random = new java.util.Random(42);
        for (int trial = 0; trial < 100; trial++) {
            double[] w = new double[1 + random.nextInt(200)];
            for (int i = 0; i < w.length; i++) {
                w[i] = random.nextDouble() * Math.pow(10, random.nextInt(12) - 6);
            }
            assertThat(Hellinger.distance(w, w.clone())).as("trial %d", trial).isEqualTo(0.0);
        }
        assertThat(Hellinger.distance(new double[] {1, 0}, new double[] {0, 1})).isCloseTo(1.0, within(1e-15));
        // sqrt(1 - BC) for p = (.5, .5), q = (.9, .1): sqrt(1 - (sqrt(.45) + sqrt(.05)))
        assertThat(Hellinger.distance(new double[] {.5, .5}, new double[] {.9, .1}))
                .isCloseTo(Math.sqrt(1 - (Math.sqrt(.45) + Math.sqrt(.05))), within(1e-12));
    }

    /**
     * For nearly equal p and q, JS^2 = sum (p - q)^2 / (4 (p + q)) to leading order (the next term
     * is smaller by (p - q)^2): with q = p -+ delta, JS = delta / sqrt(2) for p = (.5, .5).
     */
    @ParameterizedTest
    @CsvSource({"13", "23", "33", "40"})
    void jensenShannonOfNearlyEqualDistributionsKeepsItsDigits(int exponent) {
        double delta = Math.scalb(1.0, -exponent); // 0.5 +- delta is exact: the test measures the method, not the input
        double[] p = {0.5, 0.5};
        double[] q = {0.5 + delta, 0.5 - delta};
        double leading = Math.sqrt(delta * delta / (4 * (1 + delta)) + delta * delta / (4 * (1 - delta)));
        assertThat(JensenShannon.distance(p, q)).isCloseTo(leading, within(leading * 1e-6));
        assertThat(JensenShannon.distance(p, p)).isEqualTo(0.0);
        assertThat(JensenShannon.distance(new double[] {1, 0}, new double[] {0, 1})).isCloseTo(Math.sqrt(Math.log(2)),
                within(1e-15));
    }

    @Test
    void quantileEdgesTreatMinusZeroAsZero() {
        // sorted as Arrays.sort sorts: -0.0 first; the quantiles at positions 1..4 land on both zeros
        double[] reference = {-0.0, -0.0, -0.0, 0.0, 0.0, 1, 2, 3, 4, 5, 6};
        double[] edges = PopulationStability.quantileEdges(reference, 10);
        for (int i = 1; i < edges.length; i++) {
            assertThat(edges[i]).as("edges strictly increase: %s", java.util.Arrays.toString(edges)).isGreaterThan(edges[i - 1]);
        }
        assertThat(java.util.Arrays.stream(edges).filter(e -> e == 0.0).count()).isEqualTo(1);
    }
}
