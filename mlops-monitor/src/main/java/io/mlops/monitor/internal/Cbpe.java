package io.mlops.monitor.internal;

import io.mlops.monitor.EstimatedPerformance;

import java.util.Arrays;

/**
 * The arithmetic of {@link io.mlops.monitor.PerformanceEstimator}: the expected (or, with labels for
 * probabilities, realised) confusion matrix, the metrics read from it, the ROC AUC with expected
 * positives, and the standard errors.
 */
public final class Cbpe {

    private Cbpe() {
    }

    /** Multiclass: calibrated one-vs-rest, normalised, macro-averaged (see the public class). */
    public static EstimatedPerformance multiclass(Isotonic[] perClass, double[][] scores) {
        int k = perClass.length;
        int n = scores.length;
        double[][] p = new double[n][k];
        int[] predicted = new int[n];
        double accuracy = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                p[i][c] = perClass[c].apply(scores[i][c]);
                sum += p[i][c];
                if (scores[i][c] > scores[i][predicted[i]]) {
                    predicted[i] = c;
                }
            }
            for (int c = 0; c < k; c++) {
                p[i][c] = sum > 0 ? p[i][c] / sum : 1.0 / k;
            }
            accuracy += p[i][predicted[i]];
        }
        accuracy /= n;
        Mean precision = new Mean();
        Mean recall = new Mean();
        Mean f1 = new Mean();
        Mean auc = new Mean();
        double[] column = new double[n];
        double[] expected = new double[n];
        for (int c = 0; c < k; c++) {
            double tp = 0;
            double fp = 0;
            double fn = 0;
            for (int i = 0; i < n; i++) {
                column[i] = scores[i][c];
                expected[i] = p[i][c];
                if (predicted[i] == c) {
                    tp += p[i][c];
                    fp += 1 - p[i][c];
                } else {
                    fn += p[i][c];
                }
            }
            precision.add(ratio(tp, tp + fp));
            recall.add(ratio(tp, tp + fn));
            f1.add(ratio(2 * tp, 2 * tp + fp + fn));
            auc.add(rocAuc(column, expected));
        }
        return new EstimatedPerformance(n, accuracy, precision.value(), recall.value(), f1.value(), auc.value(),
                Math.sqrt(accuracy * (1 - accuracy) / n), Double.NaN, Double.NaN);
    }

    /** Binary: {@code p} the calibrated probabilities, or the labels for the realised values. */
    public static EstimatedPerformance measure(double[] scores, double[] p, double threshold, boolean estimated) {
        int n = scores.length;
        if (n == 0) {
            throw new IllegalArgumentException("no scores");
        }
        double tp = 0;
        double fp = 0;
        double fn = 0;
        double tn = 0;
        for (int i = 0; i < n; i++) {
            if (scores[i] >= threshold) {
                tp += p[i];
                fp += 1 - p[i];
            } else {
                fn += p[i];
                tn += 1 - p[i];
            }
        }
        double accuracy = (tp + tn) / n;
        double precision = ratio(tp, tp + fp);
        double recall = ratio(tp, tp + fn);
        double f1 = ratio(2 * tp, 2 * tp + fp + fn);
        double auc = rocAuc(scores, p);
        double positives = tp + fn;
        double accuracyError = estimated ? Math.sqrt(accuracy * (1 - accuracy) / n) : Double.NaN;
        double aucError = estimated ? hanleyMcNeil(auc, positives, n - positives) : Double.NaN;
        return new EstimatedPerformance(n, accuracy, precision, recall, f1, auc, accuracyError, aucError, positives);
    }

    private static double ratio(double a, double b) {
        return b > 0 ? a / b : Double.NaN;
    }

    /** The ROC AUC with expected positives {@code p}: ranked by score, a point per distinct score, trapezoids. */
    static double rocAuc(double[] scores, double[] p) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a])); // stable: descending score
        double totalTp = 0;
        double totalFp = 0;
        for (int i = 0; i < n; i++) {
            totalTp += p[i];
            totalFp += 1 - p[i];
        }
        if (!(totalTp > 0) || !(totalFp > 0)) {
            return Double.NaN;
        }
        double area = 0;
        double tp = 0;
        double fp = 0;
        double lastTpr = 0;
        double lastFpr = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            tp += p[i];
            fp += 1 - p[i];
            if (k == n - 1 || scores[order[k + 1]] != scores[i]) {
                double tpr = tp / totalTp;
                double fpr = fp / totalFp;
                area += (fpr - lastFpr) * (tpr + lastTpr) / 2;
                lastTpr = tpr;
                lastFpr = fpr;
            }
        }
        return area;
    }

    private static double hanleyMcNeil(double a, double positives, double negatives) {
        if (!(positives > 1) || !(negatives > 1) || Double.isNaN(a)) {
            return Double.NaN;
        }
        double q1 = a / (2 - a);
        double q2 = 2 * a * a / (1 + a);
        return Math.sqrt((a * (1 - a) + (positives - 1) * (q1 - a * a) + (negatives - 1) * (q2 - a * a))
                / (positives * negatives));
    }

    /** The mean of the defined values (NaN when none is). */
    private static final class Mean {
        private double sum;
        private int count;

        void add(double v) {
            if (!Double.isNaN(v)) {
                sum += v;
                count++;
            }
        }

        double value() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }
}
