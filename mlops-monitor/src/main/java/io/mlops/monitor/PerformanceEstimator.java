package io.mlops.monitor;

import io.mlops.monitor.internal.Cbpe;
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

    private final Isotonic calibration; // binary; null for a multiclass estimator
    private final Isotonic[] perClass; // multiclass, one-vs-rest; null for a binary estimator
    private final double threshold;

    private PerformanceEstimator(Isotonic calibration, Isotonic[] perClass, double threshold) {
        this.calibration = calibration;
        this.perClass = perClass;
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
        return new PerformanceEstimator(Isotonic.fit(scores, y), null, threshold);
    }

    /**
     * CBPE for a classifier of {@code k >= 2} classes, calibrated on a labelled reference period:
     * each class's probability calibrated one-vs-rest by isotonic regression, a row's calibrated
     * probabilities then divided by their sum (uniform when they are all 0); the predicted class is
     * the largest score's (the first on a tie). {@link #estimate(double[][])} then gives the
     * expected accuracy — the mean calibrated probability of the predicted class — and the macro
     * precision, recall, F1 and ROC AUC: each class's one-vs-rest expected value, averaged over the
     * classes where it is defined. The ROC AUC has no standard error here (NaN).
     *
     * @param scores the reference period's scores, one row per prediction, one column per class, finite
     * @param labels its labels, {@code 0 .. k − 1}, every class present
     * @return the estimator
     * @throws IllegalArgumentException on bad input
     */
    public static PerformanceEstimator cbpe(double[][] scores, int[] labels) {
        int k = classes(scores, labels.length);
        Isotonic[] perClass = new Isotonic[k];
        for (int c = 0; c < k; c++) {
            double[] column = new double[scores.length];
            double[] y = new double[scores.length];
            boolean seen = false;
            for (int i = 0; i < scores.length; i++) {
                if (labels[i] < 0 || labels[i] >= k) {
                    throw new IllegalArgumentException("label " + i + " is " + labels[i] + "; labels are 0 to " + (k - 1));
                }
                column[i] = scores[i][c];
                y[i] = labels[i] == c ? 1 : 0;
                seen |= labels[i] == c;
            }
            if (!seen) {
                throw new IllegalArgumentException("the reference has no label " + c + " to calibrate on");
            }
            perClass[c] = Isotonic.fit(column, y);
        }
        return new PerformanceEstimator(null, perClass, Double.NaN);
    }

    /** The number of classes of a score matrix, checked: rows of equal length >= 2, finite values. */
    private static int classes(double[][] scores, int rows) {
        Objects.requireNonNull(scores, "scores");
        if (scores.length == 0) {
            throw new IllegalArgumentException("no scores");
        }
        if (rows >= 0 && scores.length != rows) {
            throw new IllegalArgumentException(scores.length + " rows of scores but " + rows + " labels");
        }
        int k = scores[0].length;
        if (k < 2) {
            throw new IllegalArgumentException("a multiclass score row has one column per class, at least 2, not " + k);
        }
        for (int i = 0; i < scores.length; i++) {
            if (scores[i].length != k) {
                throw new IllegalArgumentException("score row " + i + " has " + scores[i].length + " columns, not " + k);
            }
            for (double v : scores[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("score row " + i + " holds " + v + "; scores are finite");
                }
            }
        }
        return k;
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
     * Estimates a multiclass classifier's performance over a set of predictions, without labels
     * (an estimator from {@link #cbpe(double[][], int[])}).
     *
     * @param scores one row per prediction, one column per class
     * @return the estimate; {@link EstimatedPerformance#positives()} and the ROC AUC's error are NaN
     */
    public EstimatedPerformance estimate(double[][] scores) {
        if (perClass == null) {
            throw new IllegalStateException("a binary estimator takes one score per prediction: estimate(double[])");
        }
        int k = classes(scores, -1);
        if (k != perClass.length) {
            throw new IllegalArgumentException("score rows have " + k + " columns; the estimator knows " + perClass.length
                    + " classes");
        }
        return Cbpe.multiclass(perClass, scores);
    }

    /**
     * @param score a score
     * @return its calibrated probability of the positive class
     */
    public double calibrated(double score) {
        if (calibration == null) {
            throw new IllegalStateException("a multiclass estimator calibrates per class");
        }
        return calibration.apply(score);
    }

    /**
     * Estimates the performance over a set of predictions, without their labels.
     *
     * @param scores the predictions' scores, finite, at least one
     * @return the estimate, with its standard errors
     */
    public EstimatedPerformance estimate(double[] scores) {
        if (calibration == null) {
            throw new IllegalStateException("a multiclass estimator takes a row of scores per prediction: estimate(double[][])");
        }
        double[] p = new double[Objects.requireNonNull(scores, "scores").length];
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is " + scores[i] + "; scores are finite");
            }
            p[i] = calibration.apply(scores[i]);
        }
        return Cbpe.measure(scores, p, threshold, true);
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
        return Cbpe.measure(scores, labels(scores, labels), threshold, false);
    }

    @Override
    public String toString() {
        return perClass == null ? "PerformanceEstimator[CBPE, threshold " + threshold + "]"
                : "PerformanceEstimator[CBPE, " + perClass.length + " classes]";
    }
}
