package io.mlops.drift.stats;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distances on inputs where floating point is hard, against the exact value (mpmath at 60
 * digits, or exact rationals) and against SciPy 1.10.1, from
 * {@code src/test/python/generate_precision_reference.py}. The bounds stated here are the ones the
 * README states:
 * <ul>
 *   <li>Jensen-Shannon and Hellinger: within 1e-12 relative of the exact value on every shape
 *       (weights from e^-300 to e^300, subnormal, tiny, sparse, counts, nearly identical, one weight
 *       1e200 times smaller than its pair); never NaN. Within 1e-12 of SciPy wherever SciPy's own
 *       value is within 1e-13 of the exact one (SciPy cancels for nearly identical distributions:
 *       NaN, or wrong by orders of magnitude).</li>
 *   <li>Wasserstein on real data (scikit-learn's digits and breast cancer, each column's first rows
 *       against its last): within 1e-14 relative of the exact value. SciPy differs from the exact
 *       value by up to 5.5e-11 relative here (its CDF differences {@code i/n - j/m} cancel), so the
 *       bound against SciPy is 1e-10.</li>
 * </ul>
 */
class PrecisionReferenceTest {

    @Test
    void jensenShannonIsExactToTwelveDigitsOnEveryHardShapeAndNeverNaN() {
        List<String> failures = new ArrayList<>();
        int againstScipy = 0;
        for (JsonNode c : Reference.load("extra-reference/jensenshannon_hard.json").get("cases")) {
            double[] p = Reference.doubles(c.get("p"));
            double[] q = Reference.doubles(c.get("q"));
            String shape = c.get("shape").asText();
            for (String base : new String[] {"e", "base2"}) {
                double actual = base.equals("e") ? JensenShannon.distance(p, q) : JensenShannon.distance(p, q, 2);
                double exact = c.get("exact_" + base).asDouble();
                if (!Reference.close(actual, exact, 1e-12)) {
                    failures.add(shape + " " + base + ": " + actual + " vs exact " + exact + " (" + p.length + " weights)");
                }
                JsonNode scipy = c.get("scipy_" + base);
                if (!scipy.isNull() && Reference.close(scipy.asDouble(), exact, 1e-13)) {
                    againstScipy++;
                    if (!Reference.close(actual, scipy.asDouble(), 1e-12)) {
                        failures.add(shape + " " + base + ": " + actual + " vs SciPy " + scipy.asDouble());
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(againstScipy).as("cases where SciPy is itself exact").isGreaterThan(250);
    }

    @Test
    void jensenShannonAndHellingerAreFiniteAndInRangeOnAThousandSeededHardVectors() {
        java.util.Random random = new java.util.Random(20261207);
        for (int trial = 0; trial < 1000; trial++) {
            int k = 2 + random.nextInt(40);
            double[] p = new double[k];
            double[] q = new double[k];
            for (int i = 0; i < k; i++) {
                p[i] = hardWeight(random, trial % 5);
                q[i] = hardWeight(random, (trial / 5) % 5);
            }
            p[random.nextInt(k)] = 1 + random.nextDouble(); // never all zero
            q[random.nextInt(k)] = Math.exp(random.nextDouble() * 600 - 300);
            double js = JensenShannon.distance(p, q);
            double hellinger = Hellinger.distance(p, q);
            assertThat(js).as("trial %d: %s %s", trial, java.util.Arrays.toString(p), java.util.Arrays.toString(q))
                    .isBetween(0.0, Math.sqrt(Math.log(2)) * (1 + 1e-15));
            assertThat(JensenShannon.distance(p, q, 2)).as("trial %d", trial).isBetween(0.0, 1 + 1e-15);
            assertThat(hellinger).as("trial %d", trial).isBetween(0.0, 1.0);
        }
    }

    /** Weights of one shape: spread over e^-300..e^300, subnormal, tiny, sparse, counts. */
    private static double hardWeight(java.util.Random random, int shape) {
        return switch (shape) {
            case 0 -> Math.exp(random.nextDouble() * 600 - 300);
            case 1 -> Double.MIN_VALUE * random.nextInt(1 << 20);
            case 2 -> random.nextDouble() * 1e-300;
            case 3 -> random.nextDouble() < 0.8 ? 0 : random.nextDouble();
            default -> random.nextInt(1_000_000);
        };
    }

    @Test
    void hellingerIsExactToTwelveDigitsOnEveryHardShape() {
        List<String> failures = new ArrayList<>();
        for (JsonNode c : Reference.load("extra-reference/hellinger_hard.json").get("cases")) {
            double actual = Hellinger.distance(Reference.doubles(c.get("p")), Reference.doubles(c.get("q")));
            double exact = c.get("exact").asDouble();
            if (!Reference.close(actual, exact, 1e-12)) {
                failures.add(c.get("shape").asText() + ": " + actual + " vs exact " + exact);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void wassersteinOnRealDataIsExactToFourteenDigitsAndWithinSciPysOwnError() {
        List<String> failures = new ArrayList<>();
        for (JsonNode c : Reference.load("extra-reference/wasserstein_digits.json").get("cases")) {
            double[] u = Reference.doubles(c.get("u"));
            double[] v = Reference.doubles(c.get("v"));
            String what = c.get("data").asText() + " column " + c.get("column").asInt();
            double exact = c.get("exact").asDouble();
            double[] sortedU = u.clone();
            double[] sortedV = v.clone();
            java.util.Arrays.sort(sortedU);
            java.util.Arrays.sort(sortedV);
            double[] ways = {Wasserstein.distance(u, v), Wasserstein.walk(sortedU, sortedV),
                SortedComparison.of(sortedU, sortedV).wasserstein()};
            for (double actual : ways) {
                if (!Reference.close(actual, exact, 1e-14)) {
                    failures.add(what + " way " + java.util.Arrays.toString(ways) + ": " + actual + " vs exact " + exact);
                }
                if (!Reference.close(actual, c.get("scipy").asDouble(), 1e-10)) {
                    failures.add(what + ": " + actual + " vs SciPy " + c.get("scipy").asDouble());
                }
            }
        }
        assertThat(failures).isEmpty();
    }
}
