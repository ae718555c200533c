package io.mlops.drift.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DoubleSortTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void sortsLikeTheJdk(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[50_000 + (int) seed];
        for (int i = 0; i < a.length; i++) {
            switch (i % 6) {
                case 0 -> a[i] = r.nextGaussian() * 1e6;
                case 1 -> a[i] = -r.nextDouble();
                case 2 -> a[i] = r.nextInt(10); // ties
                case 3 -> a[i] = i % 12 == 3 ? -0.0 : 0.0;
                case 4 -> a[i] = Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL) * (r.nextBoolean() ? 1 : -1);
                default -> a[i] = i % 2 == 0 ? Double.MAX_VALUE : -Double.MIN_VALUE;
            }
        }
        assertSortsLikeTheJdk(a);
    }

    /**
     * Shapes that take each path of the radix sort: values sharing a long prefix (the two passes
     * below it sort them completely), continuous values (a few keys equal in the 32 bits sorted on,
     * put in order by the insertion pass), values differing only far below those 32 bits (the
     * insertion pass gives up and the four passes sort them), equal values, and one odd value.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sumOfUniforms", "lognormal", "tinyNoise", "lowBitsOnly", "allEqual", "oneOutlier", "sorted", "reversed"})
    void sortsEveryShapeLikeTheJdk(String shape) {
        SplittableRandom r = new SplittableRandom(shape.hashCode());
        double[] a = new double[200_000];
        for (int i = 0; i < a.length; i++) {
            a[i] = switch (shape) {
                case "sumOfUniforms", "sorted", "reversed" -> r.nextDouble() + r.nextDouble() + r.nextDouble();
                case "lognormal" -> Math.exp(3 * r.nextGaussian());
                case "tinyNoise" -> 1 + r.nextDouble() * 1e-12;
                case "lowBitsOnly" -> Double.longBitsToDouble(Double.doubleToRawLongBits(-3.5) ^ (r.nextLong() & 0xFFFFL)
                        ^ ((long) r.nextInt(4) << 48));
                case "allEqual" -> 2.5;
                default -> i == 777 ? -1e300 : r.nextDouble();
            };
        }
        if (shape.equals("sorted") || shape.equals("reversed")) {
            Arrays.sort(a);
        }
        if (shape.equals("reversed")) {
            for (int i = 0, j = a.length - 1; i < j; i++, j--) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
        }
        assertSortsLikeTheJdk(a);
    }

    private static void assertSortsLikeTheJdk(double[] a) {
        double[] expected = a.clone();
        Arrays.sort(expected);
        DoubleSort.sort(a);
        for (int i = 0; i < a.length; i++) {
            assertThat(Double.doubleToRawLongBits(a[i])).as("index %d", i).isEqualTo(Double.doubleToRawLongBits(expected[i]));
        }
    }
}
