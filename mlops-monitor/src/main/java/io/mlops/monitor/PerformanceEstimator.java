package io.mlops.monitor;

import io.mlops.monitor.internal.Isotonic;

import java.util.Arrays;
import java.util.Objects;

/**
 * A binary classifier's performance estimated from its scores alone, while labels arrive late or
 * never: confidence-based performance estimation (CBPE, as NannyML describes it).
 *
 * <pre>{@code
 * PerformanceEstimator cbpe = PerformanceEstimator.cbpe(referenceScores, referenceLabels);  // a labelled period
 * EstimatedPerformance today = cbpe.estimate(todaysScores);                                  // no labels needed
 * }</pre>
 *
 * <p>On the labelled reference period the scores are calibrated by isotonic regression of the
 * labels on them (scikit-learn's {@code IsotonicRegression(out_of_bounds="clip")}: equal scores
 * merged, pool-adjacent-violators, linear between the points). For a set of predictions, with
 * {@code p} the calibrated probability of each and {@code ŷ = score ≥ threshold} its predicted
 * label, the expected confusion matrix is {@code TP = Σ p·[ŷ=1]}, {@code FP = Σ (1−p)·[ŷ=1]},
 * {@code FN = Σ p·[ŷ=0]}, {@code TN = Σ (1−p)·[ŷ=0]}, and accuracy, precision, recall and F1 are
 * read from it; the ROC AUC ranks the predictions by score and takes, at each distinct score, the
 * expected true and false positives so far (cumulative sums of {@code p} and {@code 1 − p}), by
 * the trapezoidal rule. Standard errors: {@code sqrt(a (1 − a) / n)} for accuracy, Hanley and
 * McNeil's for the ROC AUC.
 *
 * <p>The estimate holds while {@code P(label | score)} stays as it was in the reference period —
 * a shift in what the model is asked (covariate shift) is what it is for; a change in what the
 * answers should be (concept drift) it cannot see. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class PerformanceEstimator {

    private final Isotonic calibration;
    private final double threshold;

    private PerformanceEstimator(Isotonic calibration, double threshold) {
        this.calibration = calibration;
        this.threshold = threshold;
    }

    /**
     * CBPE calibrated on a labelled reference period, predicting positive at scores of 0.5 or more.
     *
     * @param scores the reference period's scores (the positive class's probability), finite
     * @param labels its labels, 0 or 1, one per score, both present
     * @return the estimator
     * @throws IllegalArgumentException on bad input
     */
    public static PerformanceEstimator cbpe(double[] scores, int[] labels) {
        return cbpe(scores, labels, 0.5);
    }

    /**
     * CBPE calibrated on a labelled reference period.
     *
     * @param scores the reference period's scores, finite
     * @param labels its labels, 0 or 1, one per score, both present
     * @param threshold the score from which a prediction is positive
     * @return the estimator
     * @throws IllegalArgumentException on bad input
     */
    public static PerformanceEstimator cbpe(double[] scores, int[] labels, double threshold) {
        double[] y = labels(scores, labels);
        if (Arrays.stream(y).noneMatch(v -> v == 1) || Arrays.stream(y).noneMatch(v -> v == 0)) {
            throw new IllegalArgumentException("the reference needs labels of both classes to calibrate on");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite but was " + threshold);
        }
        return new PerformanceEstimator(Isotonic.fit(scores, y), threshold);
    }

    private static double[] labels(double[] scores, int[] labels) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        if (scores.length == 0) {
            throw new IllegalArgumentException("no scores");
        }
        double[] y = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + "; labels are 0 or 1");
            }
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is " + scores[i] + "; scores are finite");
            }
            y[i] = labels[i];
        }
        return y;
    }

    /**
     * @param score a score
     * @return its calibrated probability of the positive class
     */
    public double calibrated(double score) {
        return calibration.apply(score);
    }

    /**
     * Estimates the performance over a set of predictions, without their labels.
     *
     * @param scores the predictions' scores, finite, at least one
     * @return the estimate, with its standard errors
     */
    public EstimatedPerformance estimate(double[] scores) {
        double[] p = new double[Objects.requireNonNull(scores, "scores").length];
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is " + scores[i] + "; scores are finite");
            }
            p[i] = calibration.apply(scores[i]);
        }
        return measure(scores, p, threshold, true);
    }

    /**
     * The realised performance over predictions whose labels arrived, computed as the estimate is
     * (the labels standing in for the calibrated probabilities), to show beside it.
     *
     * @param scores the scores
     * @param labels their labels, 0 or 1
     * @param threshold the score from which a prediction is positive
     * @return the realised performance (standard errors NaN)
     */
    public static EstimatedPerformance realised(double[] scores, int[] labels, double threshold) {
        return measure(scores, labels(scores, labels), threshold, false);
    }

    private static EstimatedPerformance measure(double[] scores, double[] p, double threshold, boolean estimated) {
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

    @Override
    public String toString() {
        return "PerformanceEstimator[CBPE, threshold " + threshold + "]";
    }
}
