package io.mlops.drift.internal;

/**
 * Mean and sample standard deviation (n - 1, as pandas) of sorted values, NaN when undefined, from
 * one pass: the deviations are taken from the median {@code p}, so that the mean is
 * {@code p + S1 / n} and the variance {@code (S2 - S1^2 / n) / (n - 1)} with {@code S1 = sum(x - p)}
 * and {@code S2 = sum((x - p)^2)}. Because the mean is never further than one standard deviation
 * from the median, {@code S1^2 / n} is at most half of {@code S2}, so the subtraction loses at most
 * one bit: as accurate as the two-pass method, in half the reads. The sums run over the sorted
 * values in a fixed order, so equal data gives equal results however its rows were ordered.
 *
 * @param mean the mean
 * @param std the sample standard deviation
 */
record Moments(double mean, double std) {

    static Moments ofSorted(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            return new Moments(Double.NaN, Double.NaN);
        }
        double p = sorted[n / 2];
        double s1 = 0;
        double s2 = 0;
        double t1 = 0; // a second pair of sums for the odd positions: the additions do not wait for each other
        double t2 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            double d = sorted[i] - p;
            double e = sorted[i + 1] - p;
            s1 += d;
            s2 += d * d;
            t1 += e;
            t2 += e * e;
        }
        if (i < n) {
            double d = sorted[i] - p;
            s1 += d;
            s2 += d * d;
        }
        double sum = s1 + t1;
        double mean = p + sum / n;
        if (n < 2) {
            return new Moments(mean, Double.NaN);
        }
        double squares = Math.max(0, (s2 + t2) - sum * sum / n);
        return new Moments(mean, Math.sqrt(squares / (n - 1)));
    }
}
