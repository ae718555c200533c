package io.mlops.monitor;

/**
 * A binary classifier's performance over a set of predictions: estimated without labels by
 * {@link PerformanceEstimator#estimate} (with sampling errors), or realised from labels by
 * {@link PerformanceEstimator#realised} (errors NaN). A metric that is undefined — precision with
 * no predicted positives, recall with no (expected) positives — is NaN.
 *
 * @param rows the predictions
 * @param accuracy the accuracy
 * @param precision the precision of the positive class
 * @param recall the recall of the positive class
 * @param f1 the F1 score of the positive class
 * @param rocAuc the area under the ROC curve
 * @param accuracyError the accuracy's standard error, {@code sqrt(a (1 − a) / n)}; NaN when realised
 * @param rocAucError the ROC AUC's standard error (Hanley and McNeil 1982, with the expected
 *     positives and negatives); NaN when realised
 * @param positives the (expected, or realised) number of positives
 * @since 0.1.0
 */
public record EstimatedPerformance(long rows, double accuracy, double precision, double recall, double f1, double rocAuc,
                                   double accuracyError, double rocAucError, double positives) {
}
