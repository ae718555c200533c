package io.mlops.drift.stats;

/**
 * One walk over the pooled order of two sorted, finite, non-empty samples that yields both the
 * Kolmogorov-Smirnov statistic and the first Wasserstein distance.
 *
 * <p>The CDF difference after each pooled value is kept as the exact integer
 * {@code |i n2 - j n1|} (scaled by {@code 1 / (n1 n2)} once at the end). A single walk is a chain
 * of dependent steps, each waiting for the last; large samples are therefore cut at up to three
 * pooled values into four stretches that start at distinct values, and the four stretches are
 * walked in one loop, side by side, so that the processor overlaps their steps. A stretch ends
 * just before the next one's first value, which serves as its look-ahead when it is walked to its
 * end (the gap after its last value, and the "next value is larger" test after ties); only the
 * final stretch's last value has no gap after it. The Wasserstein terms are summed plainly for
 * at most {@value #ROUND} steps (non-negative terms: within that many ulps) and those sums added to
 * a compensated (Kahan) total per stretch.
 */
final class PooledWalk {

    /** Pooled sizes from which the walk is cut into stretches. */
    static final int SEGMENTED_FROM = 1024;
    private static final int STRETCHES = 4;
    /** Rounds shorter than this are left to the single walk. */
    private static final int MIN_ROUND = 16;
    /** The longest round: its plain sums are then within this many ulps. */
    static final int ROUND = 512;
    private static final double END = Double.POSITIVE_INFINITY;

    /** The largest |i n2 - j n1| where the next pooled value is larger. */
    long maxGap;
    /** The sum of |i n2 - j n1| times the gap to the next pooled value, and its compensation. */
    double sum;
    double compensation;

    private PooledWalk() {
    }

    /**
     * Walks two samples.
     *
     * @param a the first sample: sorted, finite, not empty
     * @param b the second sample: sorted, finite, not empty
     * @return {@code {D, W1}}
     */
    static double[] walk(double[] a, double[] b) {
        long n1 = a.length;
        long n2 = b.length;
        int[][] cuts = a.length + b.length >= SEGMENTED_FROM ? cuts(a, b) : new int[][] {{0, a.length}, {0, b.length}};
        int[] s = cuts[0];
        int[] t = cuts[1];
        int last = s.length - 2;
        PooledWalk total;
        if (s.length == STRETCHES + 1) {
            total = sideBySide(a, b, s, t);
        } else {
            total = new PooledWalk();
            for (int q = 0; q <= last; q++) {
                int steps = (s[q + 1] - s[q]) + (t[q + 1] - t[q]) - (q == last ? 1 : 0);
                total.run(a, b, s[q], s[q + 1], t[q], t[q + 1], steps, n1, n2);
            }
        }
        double scale = (double) n1 * n2;
        return new double[] {total.maxGap / scale, total.sum / scale};
    }

    /** Walks {@code steps} pooled values of the stretch a[i, iEnd) x b[j, jEnd), from (i, j). */
    private void run(double[] a, double[] b, int i, int iEnd, int j, int jEnd, int steps, long n1, long n2) {
        double nextA = iEnd < a.length ? a[iEnd] : END;
        double nextB = jEnd < b.length ? b[jEnd] : END;
        double ai = i < iEnd ? a[i] : nextA;
        double bj = j < jEnd ? b[j] : nextB;
        long d = maxGap;
        double s = sum;
        double c = compensation;
        for (int k = steps; k > 0; k--) {
            int takeA = ai <= bj ? 1 : 0;
            double x = Math.min(ai, bj);
            i += takeA;
            j += 1 - takeA;
            ai = i < iEnd ? a[i] : nextA;
            bj = j < jEnd ? b[j] : nextB;
            double next = Math.min(ai, bj);
            long gap = Math.abs(i * n2 - j * n1);
            d = Math.max(d, next > x ? gap : 0);
            double y = gap * (next - x) - c;
            double u = s + y;
            c = (u - s) - y;
            s = u;
        }
        maxGap = d;
        sum = s;
        compensation = c;
    }

    /** Adds another walk's results to this one's. */
    private void add(PooledWalk other) {
        maxGap = Math.max(maxGap, other.maxGap);
        double y = other.sum - other.compensation - compensation;
        double u = sum + y;
        compensation = (u - sum) - y;
        sum = u;
    }

    /**
     * The four stretches side by side, in rounds: a round takes as many steps as keep both samples'
     * next values inside every stretch, so that its loop needs no end checks (and no look-ahead
     * from outside the stretch); what is left of each stretch is then walked on its own.
     */
    private static PooledWalk sideBySide(double[] a, double[] b, int[] s, int[] t) {
        long n1 = a.length;
        long n2 = b.length;
        int i0 = s[0];
        int j0 = t[0];
        int i1 = s[1];
        int j1 = t[1];
        int i2 = s[2];
        int j2 = t[2];
        int i3 = s[3];
        int j3 = t[3];
        final int e0 = s[1];
        final int f0 = t[1];
        final int e1 = s[2];
        final int f1 = t[2];
        final int e2 = s[3];
        final int f2 = t[3];
        final int e3 = s[4];
        final int f3 = t[4];
        long d0 = 0;
        long d1 = 0;
        long d2 = 0;
        long d3 = 0;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double c0 = 0;
        double c1 = 0;
        double c2 = 0;
        double c3 = 0;
        while (true) {
            int steps = Math.min(Math.min(Math.min(e0 - i0, f0 - j0), Math.min(e1 - i1, f1 - j1)),
                    Math.min(Math.min(e2 - i2, f2 - j2), Math.min(e3 - i3, f3 - j3))) - 1;
            if (steps < MIN_ROUND) {
                break;
            }
            steps = Math.min(steps, ROUND);
            // within a round plain sums of non-negative terms (relative error at most ROUND ulps),
            // added to the compensated totals after it
            double p0 = 0;
            double p1 = 0;
            double p2 = 0;
            double p3 = 0;
            double a0 = a[i0];
            double b0 = b[j0];
            double a1 = a[i1];
            double b1 = b[j1];
            double a2 = a[i2];
            double b2 = b[j2];
            double a3 = a[i3];
            double b3 = b[j3];
            for (int k = steps; k > 0; k--) {
                int t0 = a0 <= b0 ? 1 : 0;
                double x0 = Math.min(a0, b0);
                i0 += t0;
                j0 += 1 - t0;
                a0 = a[i0];
                b0 = b[j0];
                double next0 = Math.min(a0, b0);
                long g0 = Math.abs(i0 * n2 - j0 * n1);
                d0 = Math.max(d0, next0 > x0 ? g0 : 0);
                p0 += g0 * (next0 - x0);
                int t1 = a1 <= b1 ? 1 : 0;
                double x1 = Math.min(a1, b1);
                i1 += t1;
                j1 += 1 - t1;
                a1 = a[i1];
                b1 = b[j1];
                double next1 = Math.min(a1, b1);
                long g1 = Math.abs(i1 * n2 - j1 * n1);
                d1 = Math.max(d1, next1 > x1 ? g1 : 0);
                p1 += g1 * (next1 - x1);
                int t2 = a2 <= b2 ? 1 : 0;
                double x2 = Math.min(a2, b2);
                i2 += t2;
                j2 += 1 - t2;
                a2 = a[i2];
                b2 = b[j2];
                double next2 = Math.min(a2, b2);
                long g2 = Math.abs(i2 * n2 - j2 * n1);
                d2 = Math.max(d2, next2 > x2 ? g2 : 0);
                p2 += g2 * (next2 - x2);
                int t3 = a3 <= b3 ? 1 : 0;
                double x3 = Math.min(a3, b3);
                i3 += t3;
                j3 += 1 - t3;
                a3 = a[i3];
                b3 = b[j3];
                double next3 = Math.min(a3, b3);
                long g3 = Math.abs(i3 * n2 - j3 * n1);
                d3 = Math.max(d3, next3 > x3 ? g3 : 0);
                p3 += g3 * (next3 - x3);
            }
            double y0 = p0 - c0;
            double u0 = s0 + y0;
            c0 = (u0 - s0) - y0;
            s0 = u0;
            double y1 = p1 - c1;
            double u1 = s1 + y1;
            c1 = (u1 - s1) - y1;
            s1 = u1;
            double y2 = p2 - c2;
            double u2 = s2 + y2;
            c2 = (u2 - s2) - y2;
            s2 = u2;
            double y3 = p3 - c3;
            double u3 = s3 + y3;
            c3 = (u3 - s3) - y3;
            s3 = u3;
        }
        PooledWalk total = stretch(d0, s0, c0);
        total.run(a, b, i0, e0, j0, f0, (e0 - i0) + (f0 - j0), n1, n2);
        PooledWalk w1 = stretch(d1, s1, c1);
        w1.run(a, b, i1, e1, j1, f1, (e1 - i1) + (f1 - j1), n1, n2);
        PooledWalk w2 = stretch(d2, s2, c2);
        w2.run(a, b, i2, e2, j2, f2, (e2 - i2) + (f2 - j2), n1, n2);
        PooledWalk w3 = stretch(d3, s3, c3);
        w3.run(a, b, i3, e3, j3, f3, (e3 - i3) + (f3 - j3) - 1, n1, n2); // the last value has no gap after it
        total.add(w1);
        total.add(w2);
        total.add(w3);
        return total;
    }

    private static PooledWalk stretch(long maxGap, double sum, double compensation) {
        PooledWalk w = new PooledWalk();
        w.maxGap = maxGap;
        w.sum = sum;
        w.compensation = compensation;
        return w;
    }

    /**
     * Where the stretches start in each sample: at the values of pooled ranks n/4, n/2, 3n/4
     * (fewer stretches when those values repeat), each stretch holding the values from its start
     * value up to the next stretch's.
     *
     * @return {starts in a, starts in b}, each ending with the sample's length
     */
    static int[][] cuts(double[] a, double[] b) {
        int n = a.length + b.length;
        int[] s = new int[STRETCHES + 1];
        int[] t = new int[STRETCHES + 1];
        int k = 1;
        double previous = Math.min(a[0], b[0]);
        for (int q = 1; q < STRETCHES; q++) {
            double v = pooledAt(a, b, (int) ((long) n * q / STRETCHES));
            if (v > previous) {
                s[k] = lowerBound(a, v);
                t[k] = lowerBound(b, v);
                k++;
                previous = v;
            }
        }
        s[k] = a.length;
        t[k] = b.length;
        return new int[][] {java.util.Arrays.copyOf(s, k + 1), java.util.Arrays.copyOf(t, k + 1)};
    }

    /** The value at pooled rank p (0-based, {@code p < a.length + b.length}) of two sorted samples. */
    static double pooledAt(double[] a, double[] b, int p) {
        int lo = Math.max(0, p - b.length);
        int hi = Math.min(a.length, p);
        while (lo < hi) { // the number of a's values among the p smallest
            int i = (lo + hi) >>> 1;
            if (a[i] < b[p - i - 1]) {
                lo = i + 1;
            } else {
                hi = i;
            }
        }
        double x = lo < a.length ? a[lo] : END;
        double y = p - lo < b.length ? b[p - lo] : END;
        return Math.min(x, y);
    }

    /** The first index whose value is {@code >= x}. */
    private static int lowerBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
