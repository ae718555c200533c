package io.mlops.drift.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One walk for both statistics gives each class's own answer, including with infinite values. */
class SortedComparisonTest {

    @Test
    void infiniteValuesTakeTheSamePathAsTheSingleStatistics() {
        double[] a = {Double.NEGATIVE_INFINITY, -1, 0, 2, 2, 5};
        double[] b = {-3, 0, 0, 1, Double.POSITIVE_INFINITY};
        SortedComparison both = SortedComparison.of(a, b);
        assertThat(both.ks(KsMethod.EXACT)).isEqualTo(KolmogorovSmirnov.testSorted(a, b, KsMethod.EXACT));
        assertThat(both.wasserstein()).isEqualTo(Wasserstein.distanceSorted(a, b)); // inf, as SciPy's
    }

    @Test
    void smallSamplesAgreeWithTheSingleStatisticsExactly() {
        double[] a = {0.1, 0.4, 0.4, 0.9, 1.5};
        double[] b = {0.2, 0.4, 0.8, 0.8, 2.0, 2.5, 3.0};
        SortedComparison both = SortedComparison.of(a, b);
        assertThat(both.ksStatistic()).isEqualTo(KolmogorovSmirnov.testSorted(a, b, KsMethod.AUTO).statistic());
        assertThat(both.ks(KsMethod.ASYMPTOTIC)).isEqualTo(KolmogorovSmirnov.testSorted(a, b, KsMethod.ASYMPTOTIC));
        assertThat(both.wasserstein()).isEqualTo(Wasserstein.distanceSorted(a, b));
    }

    @Test
    void refusesEmptySamples() {
        assertThatThrownBy(() -> SortedComparison.of(new double[0], new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> SortedComparison.of(new double[] {1}, null)).isInstanceOf(NullPointerException.class);
    }
}
