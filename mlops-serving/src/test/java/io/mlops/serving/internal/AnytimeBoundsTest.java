package io.mlops.serving.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The mSPRT confidence sequence's bounds against an independent computation of the published
 * formula (Johari et al. 2022: d ± sqrt(2V(V+τ²)/τ² · ln(sqrt((V+τ²)/V)/α)), Agresti–Caffo smoothed
 * rates), done in Python's {@code math} module:
 * <pre>
 * pc=(xc+1)/(nc+2); pp=(xp+1)/(np+2); v=pc*(1-pc)/(nc+2)+pp*(1-pp)/(np+2); t2=tau*tau
 * w=math.sqrt(2*v*(v+t2)/t2*math.log(math.sqrt((v+t2)/v)/(1-conf))); d=pc-pp; print(d-w, d+w)
 * </pre>
 * to 1e-12; and they are wider than the fixed-sample interval at the same confidence (the price of
 * being valid at every look).
 */
class AnytimeBoundsTest {

    @ParameterizedTest
    @CsvSource({
            "0, 500, 0, 4500, 0.95, 0.01, -0.004440131640200336, 0.007979948383887516",
            "20, 1000, 180, 9000, 0.95, 0.01, -0.013761501206912004, 0.015464382935124095",
            "40, 1000, 20, 1000, 0.99, 0.02, -0.007810473700601887, 0.04773063338124061",
            "3, 40, 1, 60, 0.9, 0.05, -0.10230202034048391, 0.22826208178441632"})
    void matchTheFormulaComputedIndependently(long xc, long nc, long xp, long np, double confidence, double tau,
                                              double lower, double upper) {
        NonInferiority.Bounds b = AnytimeBounds.difference(xc, nc, xp, np, confidence, tau);
        assertThat(b.lower()).isCloseTo(lower, within(1e-12));
        assertThat(b.upper()).isCloseTo(upper, within(1e-12));
        NonInferiority.Bounds fixed = NonInferiority.difference(xc, nc, xp, np, confidence);
        assertThat(b.lower()).isLessThan(fixed.lower());
        assertThat(b.upper()).isGreaterThan(fixed.upper());
    }

    @Test
    void badCountsAndMixingAreRefused() {
        assertThatThrownBy(() -> AnytimeBounds.difference(5, 4, 0, 10, 0.95, 0.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnytimeBounds.difference(-1, 4, 0, 10, 0.95, 0.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnytimeBounds.difference(0, 4, 0, 10, 0.95, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnytimeBounds.difference(0, 4, 0, 10, 0.95, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        // no requests yet: finite, wide bounds rather than NaN
        NonInferiority.Bounds empty = AnytimeBounds.difference(0, 0, 0, 0, 0.95, 0.01);
        assertThat(empty.lower()).isFinite().isLessThan(-0.1);
        assertThat(empty.upper()).isFinite().isGreaterThan(0.1);
    }
}
