package io.mlops.drift.internal;

/**
 * Sorts doubles by LSD radix sort on their bits, several times faster than
 * {@link java.util.Arrays#sort(double[])} on large arrays; small arrays use the JDK's sort. The
 * order is the JDK's ({@code -0.0} before {@code 0.0}); callers remove NaN first.
 *
 * <p>At a million values the sort is bound by memory traffic, not by arithmetic, so it makes as
 * few passes as it can: it moves the doubles themselves between the array and one spare array of
 * the same size (each value's order-preserving key is computed in a register when needed, never
 * stored); it sorts on the 32 bits below the bits every value shares, in two passes of 16 bits
 * whose counts come from one read; and an insertion pass then orders the few values equal in those
 * 32 bits. Continuous data rarely shares 32 leading bits, so that pass moves little; when it would
 * move more than {@code n} values (data that differs mostly in its lowest bits), the values get
 * the full four passes instead.
 */
final class DoubleSort {

    private static final int RADIX_THRESHOLD = 20_000;
    private static final int DIGIT = 16;
    private static final int DIGITS = 1 << DIGIT;

    /**
     * Spare arrays: a column's values while it is evaluated, the sort's second array and the
     * reference's sorted values when they are not kept — up to three per core.
     */
    private static final SoftPool<double[]> SPARE = new SoftPool<>(3 * Runtime.getRuntime().availableProcessors());

    private DoubleSort() {
    }

    /**
     * Moves the finite values of an array to its front, sorts them, and returns them: the array
     * itself when every value is finite (no copy), else a trimmed copy.
     *
     * @param values an array the caller owns and gives up
     * @return the finite values, sorted
     */
    public static double[] sortFiniteInPlace(double[] values) {
        int n = values.length;
        long or = 0;
        long and = -1L;
        int i = 0;
        for (; i < n; i++) { // the common case reads once, writes nothing, and learns the keys' shared bits
            double v = values[i];
            if (!Double.isFinite(v)) {
                break;
            }
            long k = key(v);
            or |= k;
            and &= k;
        }
        if (i == n) {
            sort(values, or, and);
            return values;
        }
        int kept = i;
        for (; i < n; i++) {
            double v = values[i];
            if (Double.isFinite(v)) {
                values[kept++] = v;
            }
        }
        double[] out = java.util.Arrays.copyOf(values, kept);
        sort(out);
        return out;
    }

    /**
     * Sorts in place.
     *
     * @param a doubles without NaN
     */
    public static void sort(double[] a) {
        long or = 0;
        long and = -1L;
        if (a.length >= RADIX_THRESHOLD) {
            for (double v : a) {
                long k = key(v);
                or |= k;
                and &= k;
            }
        }
        sort(a, or, and);
    }

    /**
     * Returns an array of exactly {@code n} doubles, reused from an earlier {@link #release} when
     * one of that length is spare; its content is undefined.
     *
     * @param n the length
     * @return the array
     */
    public static double[] borrow(int n) {
        double[] a = SPARE.take(x -> x.length == n);
        return a != null ? a : new double[n];
    }

    /**
     * Gives an array from {@link #borrow} back; the caller must not use it, or anything sharing it, afterwards.
     *
     * @param a the array
     */
    public static void release(double[] a) {
        if (a.length >= RADIX_THRESHOLD) {
            SPARE.give(a);
        }
    }

    /** A long whose signed order is the double's order, {@code -0.0} before {@code 0.0}. */
    private static long key(double v) {
        long bits = Double.doubleToRawLongBits(v);
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    /** The 16-bit digit of a key at a shift, its top bit flipped when it holds the sign (signed order). */
    private static int digit(long key, int shift) {
        int d = (int) (key >>> shift) & (DIGITS - 1);
        return shift == 64 - DIGIT ? d ^ (DIGITS >>> 1) : d;
    }

    /** Sorts, knowing the OR and the AND of every value's key. */
    private static void sort(double[] a, long or, long and) {
        int n = a.length;
        if (n < RADIX_THRESHOLD) {
            java.util.Arrays.sort(a);
            return;
        }
        long differing = or ^ and;
        if (differing == 0) {
            return; // every value has the same bits
        }
        int high = 63 - Long.numberOfLeadingZeros(differing);
        int low = Math.max(0, high + 1 - 2 * DIGIT);
        double[] spare = borrow(n);
        try {
            byDigits(a, spare, low, 2);
            if (low > 0 && !insertionWithin(a)) {
                byDigits(a, spare, 0, 64 / DIGIT);
            }
        } finally {
            release(spare);
        }
    }

    /**
     * Stable LSD passes over {@code count} digits from bit {@code low} up, the counts of all of
     * them from one read, skipping a pass whose digit is the same for every value; the result is
     * left in {@code a}.
     */
    private static void byDigits(double[] a, double[] spare, int low, int count) {
        int n = a.length;
        int[][] counts = new int[count][DIGITS];
        if (count == 2) { // the window's two digits, the usual case: two plain counters, no inner loop
            int[] first = counts[0];
            int[] second = counts[1];
            int next = low + DIGIT;
            for (double v : a) {
                long k = key(v);
                first[digit(k, low)]++;
                second[digit(k, next)]++;
            }
        } else {
            for (double v : a) {
                long k = key(v);
                for (int d = 0; d < count; d++) {
                    counts[d][digit(k, low + DIGIT * d)]++;
                }
            }
        }
        double[] from = a;
        double[] to = spare;
        long first = key(a[0]);
        for (int d = 0; d < count; d++) {
            int shift = low + DIGIT * d;
            int[] offsets = counts[d];
            if (offsets[digit(first, shift)] == n) {
                continue; // the pass would change nothing
            }
            int sum = 0;
            for (int c = 0; c < DIGITS; c++) {
                int size = offsets[c];
                offsets[c] = sum;
                sum += size;
            }
            for (int i = 0; i < n; i++) {
                double v = from[i];
                to[offsets[digit(key(v), shift)]++] = v;
            }
            double[] t = from;
            from = to;
            to = t;
        }
        if (from != a) {
            System.arraycopy(from, 0, a, 0, n);
        }
    }

    /**
     * Insertion sort of values already in order by their keys' high bits, giving up (and
     * returning false) after {@code n} moves.
     */
    private static boolean insertionWithin(double[] a) {
        long budget = a.length;
        long previous = key(a[0]);
        for (int i = 1; i < a.length; i++) {
            double v = a[i];
            long k = key(v);
            if (previous > k) {
                int j = i - 1;
                do {
                    a[j + 1] = a[j];
                    j--;
                    budget--;
                } while (j >= 0 && key(a[j]) > k);
                a[j + 1] = v;
                if (budget < 0) {
                    return false;
                }
            } else {
                previous = k;
            }
        }
        return true;
    }
}
