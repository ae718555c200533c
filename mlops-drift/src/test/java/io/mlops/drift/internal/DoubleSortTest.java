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
        double[] expected = a.clone();
        Arrays.sort(expected);
        DoubleSort.sort(a);
        for (int i = 0; i < a.length; i++) {
            assertThat(Double.doubleToRawLongBits(a[i])).as("index %d", i).isEqualTo(Double.doubleToRawLongBits(expected[i]));
        }
    }
}
