package io.mlops.drift.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The one-pass moments about the median agree with exact (BigDecimal) arithmetic on data that
 * defeats the textbook one-pass formula: a large offset, two far-apart clusters, heavy tails, ties.
 */
class MomentsTest {

    @ParameterizedTest
    @CsvSource({"1, offset", "2, offset", "3, offset", "2047, offset", "100001, offset", "100000, clusters",
        "99999, lognormal", "50000, ties", "4096, tiny", "77777, skewedMedian"})
    void agreesWithExactArithmetic(int n, String shape) {
        SplittableRandom r = new SplittableRandom(n + shape.hashCode());
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (shape) {
                case "offset" -> 1e9 + r.nextGaussian(); // the textbook formula loses every digit here
                case "clusters" -> (i % 2 == 0 ? -1e6 : 1e6) + r.nextDouble();
                case "lognormal" -> Math.exp(3 * r.nextGaussian());
                case "ties" -> r.nextInt(4);
                case "tiny" -> r.nextGaussian() * 1e-300;
                default -> i < n * 0.4 ? r.nextDouble() : 1000 + r.nextDouble(); // the median far from the mean
            };
        }
        Arrays.sort(v);
        Moments m = Moments.ofSorted(v);
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal sum = BigDecimal.ZERO;
        for (double x : v) {
            sum = sum.add(new BigDecimal(x));
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(n), mc);
        BigDecimal squares = BigDecimal.ZERO;
        for (double x : v) {
            BigDecimal d = new BigDecimal(x).subtract(mean);
            squares = squares.add(d.multiply(d));
        }
        double exactMean = mean.doubleValue();
        // the mean to 1e-13 of the data's magnitude (any floating-point sum has that absolute error)
        double magnitude = Math.max(Math.abs(v[0]), Math.abs(v[n - 1]));
        assertThat(m.mean()).isCloseTo(exactMean, within(1e-13 * magnitude + 1e-300));
        if (n == 1) {
            assertThat(m.std()).isNaN();
            return;
        }
        double exactStd = Math.sqrt(squares.divide(BigDecimal.valueOf(n - 1), mc).doubleValue());
        assertThat(m.std()).isCloseTo(exactStd, within(1e-12 * exactStd + 1e-300));
    }
}
