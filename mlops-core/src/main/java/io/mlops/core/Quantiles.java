package io.mlops.core;

/**
 * Quantiles of sorted samples, with the linear interpolation between order statistics that NumPy's
 * {@code quantile} and pandas' {@code describe} use by default. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class Quantiles {

    private Quantiles() {
    }

    /**
     * @param sorted values sorted ascending, not empty
     * @param q the quantile, in [0, 1]
     * @return the interpolated quantile
     * @throws IllegalArgumentException when the sample is empty or q is outside [0, 1]
     */
    public static double linear(double[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("the sample is empty");
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be in [0, 1] but was " + q);
        }
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        double fraction = position - lower;
        return fraction == 0 ? sorted[lower] : sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
    }
}
