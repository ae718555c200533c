package io.mlops.serving.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Agresti–Caffo bounds against the same formula evaluated with SciPy 1.10's {@code norm.ppf}
 * (Debian's python3-scipy): p_i = (x_i + 1) / (n_i + 2), d = p_c − p_p,
 * se = sqrt(p_c (1 − p_c) / (n_c + 2) + p_p (1 − p_p) / (n_p + 2)), bounds d ∓ ppf(confidence) se.
 */
class NonInferiorityTest {

    @ParameterizedTest
    @CsvSource({
            "30, 1000, 10, 1000, 0.95, 0.009459139402, 0.030461020278",
            "0, 500, 0, 4500, 0.95, -0.001523749960, 0.005063566703",
            "50, 500, 45, 4500, 0.95, 0.069060193495, 0.113691695439",
            "12, 1200, 95, 10800, 0.99, -0.005323231138, 0.009179360573",
            "1, 10, 0, 90, 0.90, 0.017229802536, 0.294364400363",
    })
    void boundsAgreeWithScipy(long xc, long nc, long xp, long np, double confidence, double lower, double upper) {
        NonInferiority.Bounds b = NonInferiority.difference(xc, nc, xp, np, confidence);
        assertThat(b.lower()).isCloseTo(lower, within(1e-9));
        assertThat(b.upper()).isCloseTo(upper, within(1e-9));
    }
}
