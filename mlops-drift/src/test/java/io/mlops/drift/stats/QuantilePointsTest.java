package io.mlops.drift.stats;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The quantile points' ranks: every value under 257, then 16 per square root, ending at the maximum. */
class QuantilePointsTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 7, 256, 257, 1_000, 1_000_000, 48_806_440, 10_000_000_000L})
    void ranksClimbToTheLastValue(long n) {
        int k = QuantilePoints.count(n);
        assertThat(k).isEqualTo(n <= 256 ? (int) n : (int) Math.ceil(16 * Math.sqrt(n)));
        long previous = 0;
        for (int i = 1; i <= k; i += Math.max(1, k / 1000)) {
            long rank = QuantilePoints.rank(n, i);
            assertThat(rank).isGreaterThan(previous).isLessThanOrEqualTo(n);
            previous = rank;
        }
        assertThat(QuantilePoints.rank(n, k)).isEqualTo(n);
        double[] ranks = QuantilePoints.normalisedRanks(n);
        assertThat(ranks).hasSize(k);
        assertThat(ranks[k - 1]).isEqualTo(1.0);
        if (n <= 256) {
            assertThat(QuantilePoints.rank(n, 1)).isEqualTo(1);
        }
    }

    @Test
    void edgeRanksAndBadArguments() {
        assertThat(QuantilePoints.edgeRanks(4)).containsExactly(0.25, 0.5, 0.75);
        assertThatIllegalArgumentException().isThrownBy(() -> QuantilePoints.edgeRanks(1));
        assertThatIllegalArgumentException().isThrownBy(() -> QuantilePoints.count(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> QuantilePoints.rank(10, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> QuantilePoints.rank(10, 11));
        assertThat(QuantilePoints.count(0)).isZero();
    }
}
