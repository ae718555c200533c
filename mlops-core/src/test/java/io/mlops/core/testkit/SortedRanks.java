package io.mlops.core.testkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks of sketched quantiles against sorted values, for the tests of the sketched profiles:
 * where a value ranks among sorted values, and the saved profile's point encoding read back.
 */
public final class SortedRanks {

    private SortedRanks() {
    }

    /**
     * Asserts that some rank the value occupies among the sorted values (it may tie) is within
     * {@code slack} of the target.
     *
     * @param sorted the values, ascending
     * @param value the estimated quantile
     * @param target its exact rank, 1-based
     * @param slack how far the rank may be (the rank error times the count)
     * @param what what is checked, for the message
     */
    public static void assertWithinRank(double[] sorted, double value, long target, double slack, String what) {
        long below = lowerBound(sorted, value);
        long atOrBelow = upperBound(sorted, value);
        assertThat(target).as(what + " (value " + value + ", ranks " + below + ".." + atOrBelow + ")")
                .isBetween((long) Math.floor(below + 1 - slack), (long) Math.ceil(atOrBelow + slack));
    }

    /**
     * @param a ascending values
     * @param v a value
     * @return how many are below it
     */
    public static long lowerBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * @param a ascending values
     * @param v a value
     * @return how many are at or below it
     */
    public static long upperBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * @param base64 a saved profile's quantile points
     * @return the doubles
     */
    public static double[] doubles(String base64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(v);
        return v;
    }
}
