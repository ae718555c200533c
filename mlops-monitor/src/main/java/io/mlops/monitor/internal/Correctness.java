package io.mlops.monitor.internal;

import io.mlops.monitor.PerformanceEstimator;

/**
 * The calibrated probability that a logged classification is right, from a binary performance
 * estimator: the logged probability is the model's confidence in its output, so the positive
 * label's score is that confidence when the output is the positive label and one minus it
 * otherwise; the estimator calibrates the score into {@code P(positive)}, and the prediction is
 * right with that probability when it said positive, with one minus it otherwise. Immutable.
 */
final class Correctness {

    private final PerformanceEstimator estimator;
    private final String positive;

    Correctness(PerformanceEstimator estimator, String positive) {
        this.estimator = estimator;
        this.positive = positive;
    }

    /**
     * @param predicted the output's normalised label, or null
     * @param probability the logged confidence in it, or null
     * @return the calibrated probability that it is right, or null when the prediction lacks either
     */
    Double of(String predicted, Double probability) {
        if (predicted == null || probability == null || !(probability >= 0 && probability <= 1)) {
            return null;
        }
        boolean saidPositive = predicted.equals(positive);
        double p = estimator.calibrated(saidPositive ? probability : 1 - probability);
        return saidPositive ? p : 1 - p;
    }

    @Override
    public String toString() {
        return "Correctness[positive=" + positive + ", " + estimator + "]";
    }
}
