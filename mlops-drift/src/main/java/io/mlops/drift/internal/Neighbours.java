package io.mlops.drift.internal;

/** Brute-force k nearest neighbours by Euclidean distance (each row's k nearest others), for a few thousand rows. */
final class Neighbours {

    private Neighbours() {
    }

    static int[][] nearest(double[][] rows, int k) {
        int m = rows.length;
        int p = rows[0].length;
        int[][] out = new int[m][k];
        double[] best = new double[k];
        int[] bestAt = new int[k];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(bestAt, -1);
            double[] a = rows[i];
            for (int j = 0; j < m; j++) {
                if (j == i) {
                    continue;
                }
                double[] b = rows[j];
                double d = 0;
                for (int f = 0; f < p && d < best[k - 1]; f++) {
                    double diff = a[f] - b[f];
                    d += diff * diff;
                }
                if (d < best[k - 1]) { // insert, keeping best sorted ascending (ties: the earlier row stays)
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
            System.arraycopy(bestAt, 0, out[i], 0, k);
        }
        return out;
    }
}
