package io.mlops.drift.stats;

import java.util.Arrays;

/**
 * The k nearest rows by Euclidean distance, brute force (every row compared; for a few thousand to
 * a few tens of thousands of rows), and seeded samples of row indices to keep them that few. Used
 * by the domain-classifier drift method and direct loss estimation. Stateless.
 *
 * @since 0.1.0
 */
public final class NearestNeighbours {

    private NearestNeighbours() {
    }

    /**
     * @param query a point
     * @param rows the rows, each as long as the point
     * @param k how many, at most {@code rows.length}
     * @param skip a row to leave out (the query's own index among {@code rows}), or -1
     * @return the indices of the k nearest rows, nearest first (on equal distances, the earlier row first)
     */
    public static int[] of(double[] query, double[][] rows, int k, int skip) {
        double[] best = new double[k];
        int[] bestAt = new int[k];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        Arrays.fill(bestAt, -1);
        for (int j = 0; j < rows.length; j++) {
            if (j == skip) {
                continue;
            }
            double[] r = rows[j];
            double d = 0;
            for (int f = 0; f < query.length && d < best[k - 1]; f++) {
                double diff = query[f] - r[f];
                d += diff * diff;
            }
            if (d < best[k - 1]) {
                int at = k - 1;
                while (at > 0 && best[at - 1] > d) {
                    best[at] = best[at - 1];
                    bestAt[at] = bestAt[at - 1];
                    at--;
                }
                best[at] = d;
                bestAt[at] = j;
            }
        }
        return bestAt;
    }

    /**
     * @param rows the rows
     * @param k how many, fewer than {@code rows.length}
     * @return for each row, the indices of its k nearest other rows
     */
    public static int[][] amongThemselves(double[][] rows, int k) {
        int[][] out = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = of(rows[i], rows, k, i);
        }
        return out;
    }

    /**
     * @param n how many rows there are
     * @param m how many to keep, at most {@code n}
     * @param seed the seed
     * @return {@code m} distinct row indices in ascending order, a uniform seeded sample (all of
     *     them when {@code m == n})
     */
    public static int[] sample(int n, int m, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        if (m >= n) {
            return all;
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < m; i++) { // partial Fisher-Yates
            int j = i + r.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, m);
        Arrays.sort(out);
        return out;
    }
}
