package io.mlops.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StabilityIndexTest {

    @Test
    void sumsTheBinsTerms() {
        // 0.4 ln(0.9 / 0.5) + (-0.4) ln(0.1 / 0.5)
        double expected = 0.4 * Math.log(1.8) - 0.4 * Math.log(0.2);
        assertThat(StabilityIndex.of(new double[] {0.5, 0.5}, new double[] {0.9, 0.1})).isCloseTo(expected, within(1e-15));
        assertThat(StabilityIndex.of(new double[] {0.2, 0.3, 0.5}, new double[] {0.2, 0.3, 0.5})).isZero();
    }

    @Test
    void anEmptyBinCountsAsEpsilonInsteadOfBeingSkipped() {
        // ten equally filled bins, everything moves into the last one: about 8.3 (README), never 0
        double[] tenEqual = new double[10];
        java.util.Arrays.fill(tenEqual, 0.1);
        double[] allInTheLast = new double[10];
        allInTheLast[9] = 1.0;
        double expected = 9 * (StabilityIndex.EPSILON - 0.1) * Math.log(StabilityIndex.EPSILON / 0.1) + 0.9 * Math.log(10);
        assertThat(StabilityIndex.of(tenEqual, allInTheLast)).isCloseTo(expected, within(1e-12)).isCloseTo(8.28, within(0.01));
    }

    @Test
    void refusesMismatchedOrInvalidProportions() {
        assertThatThrownBy(() -> StabilityIndex.of(new double[] {1}, new double[] {0.5, 0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same length");
        assertThatThrownBy(() -> StabilityIndex.of(new double[] {Double.NaN}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite and >= 0");
        assertThatThrownBy(() -> StabilityIndex.of(new double[] {-0.1}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
