package io.mlops.drift.stats;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The branch-free merges used for finite samples give what the merges checked against SciPy give,
 * on seeded samples of every shape: continuous, with many ties (rounded), one sample inside the
 * other, tiny, and of very different sizes.
 */
class BranchFreeMergeTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void agreeWithTheBranchyMerges(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 25; round++) {
            double[] a = sample(r, 1 + r.nextInt(seed % 4 == 0 ? 5 : 3_000));
            double[] b = sample(r, 1 + r.nextInt(seed % 5 == 0 ? 3 : 3_000));
            assertThat(KolmogorovSmirnov.finiteStatistic(a, b)).isEqualTo(KolmogorovSmirnov.mergeStatistic(a, b));
            double walked = Wasserstein.walk(a, b);
            assertThat(Wasserstein.finiteDistance(a, b)).isCloseTo(walked, within(1e-12 * Math.max(1, Math.abs(walked))));
        }
    }

    private static double[] sample(SplittableRandom r, int n) {
        double[] v = new double[n];
        int kind = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            double x = r.nextGaussian();
            v[i] = switch (kind) {
                case 0 -> x;
                case 1 -> Math.rint(x * 3); // many ties, within and across the samples
                case 2 -> Math.rint(x) * 1e-300; // tiny gaps
                default -> x * 1e6 + 5;
            };
        }
        Arrays.sort(v);
        return v;
    }
}
