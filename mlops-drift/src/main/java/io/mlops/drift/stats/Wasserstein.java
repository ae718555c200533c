package io.mlops.drift.stats;

import java.util.Objects;

/**
 * The first Wasserstein (earth mover's) distance between two samples, as SciPy's
 * {@code wasserstein_distance(u, v)}: the integral of {@code |U(x) - V(x)|} between the samples'
 * empirical CDFs. Stateless and thread-safe.
 */
public final class Wasserstein {

    private Wasserstein() {
    }

    /**
     * @param u the first sample, not empty, no NaN
     * @param v the second sample, not empty, no NaN
     * @return the distance, in the samples' units
     */
    public static double distance(double[] u, double[] v) {
        return distanceSorted(KolmogorovSmirnov.sortedCopy(u, "u"), KolmogorovSmirnov.sortedCopy(v, "v"));
    }

    /**
     * The distance between samples already sorted ascending (no copy).
     *
     * @param u the first sample, sorted, not empty
     * @param v the second sample, sorted, not empty
     * @return the distance
     */
    public static double distanceSorted(double[] u, double[] v) {
        Objects.requireNonNull(u, "u");
        Objects.requireNonNull(v, "v");
        int n = u.length;
        int m = v.length;
        if (n == 0 || m == 0) {
            throw new IllegalArgumentException("both samples must be non-empty");
        }
        // walk the pooled sorted values; between consecutive ones both CDFs are constant
        int i = 0;
        int j = 0;
        double previous = Math.min(u[0], v[0]);
        double sum = 0;
        double compensation = 0;
        while (i < n || j < m) {
            double x = j >= m || i < n && u[i] <= v[j] ? u[i] : v[j];
            double term = Math.abs(i / (double) n - j / (double) m) * (x - previous);
            double y = term - compensation;
            double t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
            previous = x;
            while (i < n && u[i] == x) {
                i++;
            }
            while (j < m && v[j] == x) {
                j++;
            }
        }
        return sum;
    }
}
