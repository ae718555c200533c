package io.mlops.drift.internal;

/**
 * Sorts doubles by LSD radix sort on their bits (four passes of 16 bits), several times faster than
 * {@link java.util.Arrays#sort(double[])} on large arrays; small arrays use the JDK's sort. The
 * order is the JDK's ({@code -0.0} before {@code 0.0}); callers remove NaN first.
 */
public final class DoubleSort {

    private static final int RADIX_THRESHOLD = 20_000;

    /** Scratch keys of earlier sorts (two arrays per sort). */
    private static final SoftPool<long[][]> SCRATCH = new SoftPool<>();
    /** Spare arrays for a column's values while it is evaluated. */
    private static final SoftPool<double[]> SPARE = new SoftPool<>();

    private DoubleSort() {
    }

    /**
     * The finite values of an array, sorted ascending, in a new array.
     *
     * @param values any doubles
     * @return the finite ones, sorted
     */
    public static double[] sortedFinite(double[] values) {
        double[] out = values.clone();
        return sortFiniteInPlace(out);
    }

    /**
     * Moves the finite values of an array to its front, sorts them, and returns them: the array
     * itself when every value is finite (no copy), else a trimmed copy.
     *
     * @param values an array the caller owns and gives up
     * @return the finite values, sorted
     */
    public static double[] sortFiniteInPlace(double[] values) {
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                values[n++] = v;
            }
        }
        double[] out = n == values.length ? values : java.util.Arrays.copyOf(values, n);
        sort(out);
        return out;
    }

    /**
     * Sorts in place.
     *
     * @param a doubles without NaN
     */
    public static void sort(double[] a) {
        int n = a.length;
        if (n < RADIX_THRESHOLD) {
            java.util.Arrays.sort(a);
            return;
        }
        long[][] scratch = takeScratch(n);
        try {
            radix(a, scratch[0], scratch[1]);
        } finally {
            SCRATCH.give(scratch);
        }
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

    private static long[][] takeScratch(int n) {
        long[][] pair = SCRATCH.take(p -> p[0].length >= n);
        return pair != null ? pair : new long[][] {new long[n], new long[n]};
    }

    private static void radix(double[] a, long[] keys, long[] buffer) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            long bits = Double.doubleToRawLongBits(a[i]);
            // negative: flip all bits; positive: flip the sign bit -> unsigned order is numeric order
            keys[i] = bits ^ ((bits >> 63) | Long.MIN_VALUE);
        }
        int[] counts = new int[1 << 16];
        for (int shift = 0; shift < 64; shift += 16) {
            java.util.Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                counts[(int) (keys[i] >>> shift) & 0xFFFF]++;
            }
            if (counts[(int) (keys[0] >>> shift) & 0xFFFF] == n) {
                continue; // every key has the same digit here: the pass would change nothing
            }
            int sum = 0;
            for (int d = 0; d < counts.length; d++) {
                int c = counts[d];
                counts[d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                long k = keys[i];
                buffer[counts[(int) (k >>> shift) & 0xFFFF]++] = k;
            }
            long[] t = keys;
            keys = buffer;
            buffer = t;
        }
        for (int i = 0; i < n; i++) {
            long k = keys[i];
            long bits = k < 0 ? k ^ Long.MIN_VALUE : ~k;
            a[i] = Double.longBitsToDouble(bits);
        }
    }
}
