package io.mlops.monitor;

import io.mlops.monitor.internal.Cbpe;
import io.mlops.monitor.internal.Isotonic;

import java.util.Arrays;
import java.util.Objects;

/**
 * A model's performance estimated while labels arrive late or never: for classifiers from their
 * scores alone, by confidence-based performance estimation (CBPE, as NannyML describes it;
 * {@link #cbpe}); for regressors from their inputs, by direct loss estimation ({@link #dle}).
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

    private final Isotonic calibration; // binary; null otherwise
    private final Isotonic[] perClass; // multiclass, one-vs-rest; null otherwise
    private final double threshold;
    private final io.mlops.monitor.internal.DirectLoss loss; // regression; null otherwise

    private PerformanceEstimator(Isotonic calibration, Isotonic[] perClass, double threshold) {
        this.calibration = calibration;
        this.perClass = perClass;
        this.threshold = threshold;
        this.loss = null;
    }

    private PerformanceEstimator(io.mlops.monitor.internal.DirectLoss loss) {
        this.calibration = null;
        this.perClass = null;
        this.threshold = Double.NaN;
        this.loss = loss;
    }

    /**
     * Direct loss estimation (DLE, as NannyML describes it) for a regressor, fitted on a labelled
     * reference period: a "nanny" model learns the monitored model's absolute and squared errors
     * from the features and the model's prediction, and a window's estimated MAE is the mean of its
     * predicted absolute errors, its RMSE the square root of the mean of its predicted squared
     * errors. The nanny here is k nearest neighbours (k = 10; inputs standardised with the
     * reference's mean and sample standard deviation; at most 20,000 reference rows, a seeded sample
     * beyond), brute force: a window's estimate reads every kept reference row for each of its rows.
     * It holds while the loss given the features stays as it was (covariate shift), and tends to
     * underestimate at the edges of the reference (a row's neighbours are less extreme than it).
     *
     * @param features the reference rows' features, one row per prediction, finite
     * @param predictions the model's predictions on them
     * @param targets their true values
     * @return the estimator ({@link #estimateLoss})
     * @throws IllegalArgumentException on bad input
     */
    public static PerformanceEstimator dle(double[][] features, double[] predictions, double[] targets) {
        regressionInput(features, predictions, -1);
        Objects.requireNonNull(targets, "targets");
        if (targets.length != predictions.length) {
            throw new IllegalArgumentException(predictions.length + " predictions but " + targets.length + " targets");
        }
        for (int i = 0; i < targets.length; i++) {
            if (!Double.isFinite(targets[i])) {
                throw new IllegalArgumentException("target " + i + " is " + targets[i] + "; targets are finite");
            }
        }
        if (predictions.length <= io.mlops.monitor.internal.DirectLoss.NEIGHBOURS) {
            throw new IllegalArgumentException("DLE needs more than " + io.mlops.monitor.internal.DirectLoss.NEIGHBOURS
                    + " reference rows; there are " + predictions.length);
        }
        return new PerformanceEstimator(io.mlops.monitor.internal.DirectLoss.fit(features, predictions, targets));
    }

    private static void regressionInput(double[][] features, double[] predictions, int width) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(predictions, "predictions");
        if (features.length != predictions.length) {
            throw new IllegalArgumentException(features.length + " feature rows but " + predictions.length + " predictions");
        }
        if (predictions.length == 0) {
            throw new IllegalArgumentException("no predictions");
        }
        int w = width >= 0 ? width : features[0].length;
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != w) {
                throw new IllegalArgumentException("feature row " + i + " has " + features[i].length + " values, not " + w);
            }
            for (double v : features[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("feature row " + i + " holds " + v + "; features are finite");
                }
            }
            if (!Double.isFinite(predictions[i])) {
                throw new IllegalArgumentException("prediction " + i + " is " + predictions[i] + "; predictions are finite");
            }
        }
    }

    /**
     * Estimates a regressor's loss over a set of predictions, without their targets (an estimator
     * from {@link #dle}).
     *
     * @param features the rows' features, as many per row as the reference's
     * @param predictions the model's predictions
     * @return the estimate, with its standard errors
     */
    public EstimatedLoss estimateLoss(double[][] features, double[] predictions) {
        if (loss == null) {
            throw new IllegalStateException("this estimator is for a classifier: estimate(...)");
        }
        regressionInput(features, predictions, loss.features());
        return loss.estimate(features, predictions);
    }

    /**
     * The realised loss over predictions whose targets arrived, to show beside the estimate.
     *
     * @param predictions the predictions
     * @param targets their true values
     * @return the realised MAE and RMSE (standard errors NaN)
     */
    public static EstimatedLoss realisedLoss(double[] predictions, double[] targets) {
        if (predictions.length != targets.length || predictions.length == 0) {
            throw new IllegalArgumentException(predictions.length + " predictions but " + targets.length + " targets");
        }
        double abs = 0;
        double sq = 0;
        for (int i = 0; i < predictions.length; i++) {
            double e = targets[i] - predictions[i];
            abs += Math.abs(e);
            sq += e * e;
        }
        return new EstimatedLoss(predictions.length, abs / predictions.length, Math.sqrt(sq / predictions.length), Double.NaN,
                Double.NaN);
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
            throw new IllegalStateException(loss != null ? "a regression estimator estimates losses: estimateLoss(...)"
                    : "a binary estimator takes one score per prediction: estimate(double[])");
        }
        int k = classes(scores, -1);
        if (k != perClass.length) {
            throw new IllegalArgumentException("score rows have " + k + " columns; the estimator knows " + perClass.length
                    + " classes");
        }
        return Cbpe.multiclass(perClass, scores);
    }

    /** Whether it calibrates one score per prediction (a binary classifier's). */
    boolean binary() {
        return calibration != null;
    }

    /**
     * @param score a score
     * @return its calibrated probability of the positive class
     */
    public double calibrated(double score) {
        if (calibration == null) {
            throw new IllegalStateException(loss != null ? "a regression estimator calibrates no scores"
                    : "a multiclass estimator calibrates per class");
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
            throw new IllegalStateException(loss != null ? "a regression estimator estimates losses: estimateLoss(...)"
                    : "a multiclass estimator takes a row of scores per prediction: estimate(double[][])");
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
        return loss != null ? "PerformanceEstimator[DLE, " + loss.features() + " features]"
                : perClass == null ? "PerformanceEstimator[CBPE, threshold " + threshold + "]"
                : "PerformanceEstimator[CBPE, " + perClass.length + " classes]";
    }
}
