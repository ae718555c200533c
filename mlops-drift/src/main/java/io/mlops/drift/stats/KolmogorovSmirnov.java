package io.mlops.drift.stats;

import java.util.Arrays;
import java.util.Objects;

/**
 * The two-sample, two-sided Kolmogorov-Smirnov test with SciPy's {@code ks_2samp} semantics
 * (checked against SciPy 1.10.1).
 *
 * <ul>
 *   <li>The statistic is {@code D = max |F1(x) - F2(x)|} over the pooled values, with ties handled by
 *       the empirical CDFs themselves (no jitter).</li>
 *   <li>{@link KsMethod#EXACT}: with {@code g = gcd(n1, n2)} and {@code lcm = n1 n2 / g}, D is rounded
 *       to {@code h / lcm}; the p-value is the share of monotone lattice paths from (0, 0) to
 *       (n1, n2) that leave the band {@code |x/n1 - y/n2| < h / lcm}. For {@code n1 == n2} it is the
 *       alternating sum of binomial ratios evaluated in Horner form; otherwise a recursion over the
 *       lattice that carries the probability of having left the band (Viehmann 2021), so that tiny
 *       p-values keep their precision. When the result is not a probability (rounding above 1),
 *       the test falls back to the asymptotic method, as SciPy does.</li>
 *   <li>{@link KsMethod#ASYMPTOTIC}: {@code P(D_n >= D)} of the one-sample Kolmogorov distribution
 *       with {@code n = round(n1 n2 / (n1 + n2))} ({@link KolmogorovDistribution#sf}).</li>
 *   <li>{@link KsMethod#AUTO}: exact when {@code max(n1, n2) <= 10000}.</li>
 * </ul>
 * Commons Math's own two-sample test differs (it switches on {@code n1 n2 < 10000} and jitters
 * ties), which is why this class exists. NaN values are not allowed: remove missing values first.
 * Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class KolmogorovSmirnov {

    /** Above this sample size AUTO uses the asymptotic distribution (SciPy's {@code MAX_AUTO_N}). */
    public static final int MAX_AUTO_N = 10_000;

    private KolmogorovSmirnov() {
    }

    /**
     * Tests with {@link KsMethod#AUTO}.
     *
     * @param reference the first sample, not empty, no NaN
     * @param current the second sample, not empty, no NaN
     * @return D and the two-sided p-value
     * @throws IllegalArgumentException when a sample is empty or holds NaN
     */
    public static TestResult test(double[] reference, double[] current) {
        return test(reference, current, KsMethod.AUTO);
    }

    /**
     * Tests with the given method.
     *
     * @param reference the first sample, not empty, no NaN
     * @param current the second sample, not empty, no NaN
     * @param method how to compute the p-value
     * @return D and the two-sided p-value
     * @throws IllegalArgumentException when a sample is empty or holds NaN
     */
    public static TestResult test(double[] reference, double[] current, KsMethod method) {
        return testDetailed(reference, current, method).toTestResult();
    }

    /**
     * Tests with the given method and reports which method produced the p-value.
     *
     * @param reference the first sample, not empty, no NaN
     * @param current the second sample, not empty, no NaN
     * @param method how to compute the p-value
     * @return D, the p-value and the method used
     */
    public static KsResult testDetailed(double[] reference, double[] current, KsMethod method) {
        double[] a = sortedCopy(reference, "reference");
        double[] b = sortedCopy(current, "current");
        return testSorted(a, b, method);
    }

    /**
     * Tests two samples that are already sorted ascending (no copy, no sort: for callers that keep
     * sorted data, such as a drift detector's reference profile).
     *
     * @param sortedReference the first sample, sorted, not empty, no NaN
     * @param sortedCurrent the second sample, sorted, not empty, no NaN
     * @param method how to compute the p-value
     * @return D, the p-value and the method used
     */
    public static KsResult testSorted(double[] sortedReference, double[] sortedCurrent, KsMethod method) {
        Objects.requireNonNull(method, "method");
        SortedComparison.requireSamples(sortedReference, "sortedReference", sortedCurrent, "sortedCurrent");
        return fromStatistic(statistic(sortedReference, sortedCurrent), sortedReference.length, sortedCurrent.length, method);
    }

    /** The test for a statistic D of samples of n1 and n2 values. */
    static KsResult fromStatistic(double d, int n1, int n2, KsMethod method) {
        Objects.requireNonNull(method, "method");
        KsMethod mode = method == KsMethod.AUTO ? (Math.max(n1, n2) <= MAX_AUTO_N ? KsMethod.EXACT : KsMethod.ASYMPTOTIC) : method;
        if (mode == KsMethod.EXACT) {
            long g0 = gcd(n1, n2);
            // SciPy's rule: when lcm(n1, n2) would overflow its int32 lattice, the exact method is not
            // attempted and the asymptotic one answers instead
            if (n1 / g0 >= Integer.MAX_VALUE / (double) (n2 / g0)) {
                mode = KsMethod.ASYMPTOTIC;
            }
        }
        if (mode == KsMethod.EXACT) {
            long g = gcd(n1, n2);
            long lcm = (n1 / g) * (long) n2;
            long h = Math.round(d * lcm);
            double dRounded = h * 1.0 / lcm;
            if (h == 0) {
                return new KsResult(dRounded, 1.0, KsMethod.EXACT);
            }
            double p = n1 == n2 ? outsideSquare(n1, h) : outsideRectangle(n1, n2, g, h);
            if (p >= 0 && p <= 1) {
                return new KsResult(dRounded, p, KsMethod.EXACT);
            }
            // not a probability (rounding): fall back as SciPy does, with its rounded statistic
            d = dRounded;
        }
        double[] mn = {Math.max(n1, n2), Math.min(n1, n2)};
        double en = mn[0] * mn[1] / (mn[0] + mn[1]);
        double p = KolmogorovDistribution.sf((int) Math.rint(en), d);
        return new KsResult(d, Math.min(1.0, Math.max(0.0, p)), KsMethod.ASYMPTOTIC);
    }

    /** D = max |F1 - F2| over the pooled values, by a merge of the sorted samples. */
    static double statistic(double[] a, double[] b) {
        if (SortedComparison.finite(a) && SortedComparison.finite(b)) {
            return finiteStatistic(a, b);
        }
        return mergeStatistic(a, b);
    }

    /** The merge with branches, for any samples (infinities included). */
    static double mergeStatistic(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < n1 && j < n2) {
            double x = Math.min(a[i], b[j]);
            while (i < n1 && a[i] <= x) {
                i++;
            }
            while (j < n2 && b[j] <= x) {
                j++;
            }
            // both CDFs evaluated right after x (searchsorted side='right'), as SciPy does
            double diff = Math.abs(i / (double) n1 - j / (double) n2);
            if (diff > d) {
                d = diff;
            }
        }
        return d;
    }

    /** The same D for finite samples, from the pooled walk (exact integer CDF differences). */
    static double finiteStatistic(double[] a, double[] b) {
        return PooledWalk.walk(a, b)[0];
    }

    /** P(D_{n,n} >= h/n): 2 * sum_k (-1)^(k-1) C(2n, n - kh) / C(2n, n), in Horner form. */
    static double outsideSquare(long n, long h) {
        double p = 0.0;
        long k = n / h;
        while (k >= 0) {
            double p1 = 1.0;
            for (long j = 0; j < h; j++) {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /**
     * The share of lattice paths from (0,0) to (m,n) that leave the band |x/m - y/n| < h/lcm,
     * computed column by column as the probability of having left it: a point outside the band has
     * probability 1; inside, (x P(x-1, y) + y P(x, y-1)) / (x + y).
     */
    static double outsideRectangle(long m, long n, long g, long h) {
        if (m < n) {
            long t = m;
            m = n;
            n = t;
        }
        long mg = m / g;
        long ng = n / g;
        // column x = 0: points (0, y) are inside while mg*y < h
        int minj = 0;
        int maxj = (int) Math.min(ceilDiv(h, mg), n + 1);
        int curlen = maxj - minj;
        int lenA = (int) Math.min(2L * maxj + 2, n + 1);
        double[] a = new double[Math.max(lenA, 1)];
        Arrays.fill(a, 1.0);
        Arrays.fill(a, minj, maxj, 0.0);
        for (long i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = (int) Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0);
            minj = (int) Math.min(minj, n);
            maxj = (int) Math.min(ceilDiv(ng * i + h, mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            if (maxj - minj > a.length) {
                a = Arrays.copyOf(a, maxj - minj + 1);
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                int j = jj + minj;
                int from = jj + minj - lastminj;
                double left = from < lastlen ? a[from] : 1.0;
                val = (left * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                Arrays.fill(a, curlen, Math.min(a.length, curlen + (lastlen - curlen)), 1.0);
            }
        }
        return a[maxj - minj - 1];
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    static double[] sortedCopy(double[] values, String what) {
        Objects.requireNonNull(values, what);
        double[] copy = values.clone();
        for (double v : copy) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException(what + " sample holds NaN; remove missing values before testing");
            }
        }
        Arrays.sort(copy);
        return copy;
    }
}
