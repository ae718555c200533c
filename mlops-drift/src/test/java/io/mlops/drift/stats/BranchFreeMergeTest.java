package io.mlops.drift.stats;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The pooled walk used for finite samples ({@link PooledWalk}, also behind {@link SortedComparison})
 * gives what the merges checked against SciPy give, on seeded samples of every shape: continuous,
 * with many ties (rounded), one sample inside the other, tiny, and of very different sizes.
 */
class BranchFreeMergeTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void agreeWithTheBranchyMerges(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 25; round++) {
            double[] a = sample(r, 1 + r.nextInt(seed % 4 == 0 ? 5 : 3_000));
            double[] b = sample(r, 1 + r.nextInt(seed % 5 == 0 ? 3 : 3_000));
            assertAgree(a, b);
        }
    }

    /**
     * Large samples, walked in four stretches side by side: continuous, shifted, tied, disjoint in
     * either order, one inside the other, of very different sizes, and with values repeated exactly
     * where the stretches are cut.
     */
    @ParameterizedTest
    @ValueSource(strings = {"shifted", "ties", "disjoint", "disjointReversed", "inside", "uneven", "fewValues", "oneValue"})
    void theStretchesWalkedSideBySideAgreeWithOneMerge(String shape) {
        SplittableRandom r = new SplittableRandom(shape.hashCode());
        int n = 40_000;
        double[] a = new double[shape.equals("uneven") ? 3 : n];
        double[] b = new double[shape.equals("uneven") ? 2 * n : n + 17];
        for (int i = 0; i < a.length; i++) {
            a[i] = value(shape, r, false);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = value(shape, r, true);
        }
        Arrays.sort(a);
        Arrays.sort(b);
        assertThat(PooledWalk.cuts(a, b)[0]).as("stretches").hasSizeGreaterThan(shape.equals("oneValue") ? 1 : 2);
        assertAgree(a, b);
        assertAgree(b, a);
    }

    private static double value(String shape, SplittableRandom r, boolean second) {
        double g = r.nextGaussian();
        return switch (shape) {
            case "shifted", "uneven" -> second ? g + 0.1 : g;
            case "ties" -> Math.rint(g * 4) + (second ? 1 : 0);
            case "disjoint" -> second ? 10 + g * 1e-3 : g * 1e-3;
            case "disjointReversed" -> second ? g * 1e-3 : 10 + g * 1e-3;
            case "inside" -> second ? g * 0.01 : g * 100;
            case "fewValues" -> r.nextInt(second ? 3 : 4);
            default -> 7.0;
        };
    }

    private static void assertAgree(double[] a, double[] b) {
        // D from exact integer CDF differences, divided once: within an ulp or two of the float merge
        double merged = KolmogorovSmirnov.mergeStatistic(a, b);
        assertThat(KolmogorovSmirnov.finiteStatistic(a, b)).isCloseTo(merged, within(4 * Math.ulp(1.0)));
        double walked = Wasserstein.walk(a, b);
        assertThat(Wasserstein.finiteDistance(a, b)).isCloseTo(walked, within(1e-12 * Math.max(1, Math.abs(walked))));
        SortedComparison both = SortedComparison.of(a, b);
        assertThat(both.ksStatistic()).isEqualTo(KolmogorovSmirnov.finiteStatistic(a, b));
        assertThat(both.wasserstein()).isEqualTo(Wasserstein.finiteDistance(a, b));
        assertThat(both.ks(KsMethod.AUTO)).isEqualTo(KolmogorovSmirnov.testSorted(a, b, KsMethod.AUTO));
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
