package io.mlops.monitor.internal;

import java.util.Arrays;

/**
 * Isotonic regression of labels on scores, fitted by pool-adjacent-violators and read by linear
 * interpolation between its points, clipped outside them — as scikit-learn's
 * {@code IsotonicRegression(out_of_bounds="clip")} does: equal scores are first merged into one
 * point carrying their mean label and their count as weight. Immutable once fitted.
 */
public final class Isotonic {

    private final double[] x;
    private final double[] y;

    private Isotonic(double[] x, double[] y) {
        this.x = x;
        this.y = y;
    }

    /**
     * @param scores the scores, finite
     * @param labels the labels (0 or 1), one per score
     * @return the fitted calibration
     */
    public static Isotonic fit(double[] scores, double[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(scores[a], scores[b]);
            return c != 0 ? c : Double.compare(labels[a], labels[b]);
        });
        // equal scores merged: their mean label, their count as weight
        double[] ux = new double[n];
        double[] uy = new double[n];
        double[] uw = new double[n];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            if (m > 0 && scores[i] == ux[m - 1]) {
                uy[m - 1] += labels[i];
                uw[m - 1] += 1;
            } else {
                ux[m] = scores[i];
                uy[m] = labels[i];
                uw[m] = 1;
                m++;
            }
        }
        for (int j = 0; j < m; j++) {
            uy[j] /= uw[j];
        }
        // pool adjacent violators, weighted, non-decreasing
        double[] value = new double[m];
        double[] weight = new double[m];
        int[] end = new int[m]; // the last point of each block
        int blocks = 0;
        for (int j = 0; j < m; j++) {
            value[blocks] = uy[j];
            weight[blocks] = uw[j];
            end[blocks] = j;
            blocks++;
            while (blocks > 1 && value[blocks - 2] > value[blocks - 1]) {
                double w = weight[blocks - 2] + weight[blocks - 1];
                value[blocks - 2] = (value[blocks - 2] * weight[blocks - 2] + value[blocks - 1] * weight[blocks - 1]) / w;
                weight[blocks - 2] = w;
                end[blocks - 2] = end[blocks - 1];
                blocks--;
            }
        }
        double[] fitted = new double[m];
        int start = 0;
        for (int b = 0; b < blocks; b++) {
            for (int j = start; j <= end[b]; j++) {
                fitted[j] = value[b];
            }
            start = end[b] + 1;
        }
        return new Isotonic(Arrays.copyOf(ux, m), fitted);
    }

    /**
     * @param score a score
     * @return the calibrated probability: linear between the fitted points, clipped outside them
     */
    public double apply(double score) {
        int n = x.length;
        if (score <= x[0]) {
            return y[0];
        }
        if (score >= x[n - 1]) {
            return y[n - 1];
        }
        int i = Arrays.binarySearch(x, score);
        if (i >= 0) {
            return y[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        return y[lo] + (score - x[lo]) * (y[hi] - y[lo]) / (x[hi] - x[lo]);
    }
}
