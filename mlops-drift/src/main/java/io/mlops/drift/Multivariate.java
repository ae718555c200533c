package io.mlops.drift;

import io.mlops.core.Dataset;
import io.mlops.drift.internal.PcaReconstruction;

/**
 * A multivariate drift method: it sees changes in how features move <em>together</em> — a
 * correlation that flips while every feature's own distribution stays the same — which no
 * per-feature test can. {@code Multivariate.pcaReconstruction().fit(training).detect(current)}.
 *
 * <p><b>PCA reconstruction error</b> (as NannyML describes its data reconstruction drift): on the
 * reference, numeric features are standardised (missing values take the reference's mean),
 * principal components are kept until they explain {@link #explainedVariance()} of the variance
 * (default 65%), and each row's reconstruction error is the Euclidean distance between the
 * standardised row and its projection back from those components. A current dataset's mean error
 * is compared with the reference's: drift when it leaves {@code mean ± k · sd / sqrt(n)}, the
 * reference rows' mean and standard deviation of the error, {@code n} the current rows and
 * {@code k} {@link #thresholdSd()} (default 3: about 0.27% false alarms on unchanged data by the
 * central limit theorem, for current windows of at least a few hundred rows). Categorical
 * columns are not part of it. Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Multivariate {

    private final double explainedVariance;
    private final double thresholdSd;

    private Multivariate(double explainedVariance, double thresholdSd) {
        this.explainedVariance = explainedVariance;
        this.thresholdSd = thresholdSd;
    }

    /**
     * @return PCA reconstruction error with the defaults (65% of the variance, 3 standard errors)
     */
    public static Multivariate pcaReconstruction() {
        return new Multivariate(0.65, 3);
    }

    /**
     * @param share the share of the standardised variance the kept components explain, in (0, 1)
     * @return a copy with it
     */
    public Multivariate explainedVariance(double share) {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("explainedVariance must be in (0, 1) but was " + share);
        }
        return new Multivariate(share, thresholdSd);
    }

    /**
     * @param k how many standard errors of the reference's mean error the current mean may move, {@code > 0}
     * @return a copy with it
     */
    public Multivariate thresholdSd(double k) {
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("thresholdSd must be positive but was " + k);
        }
        return new Multivariate(explainedVariance, k);
    }

    /**
     * @return the share of the variance the kept components explain
     */
    public double explainedVariance() {
        return explainedVariance;
    }

    /**
     * @return the standard errors the current mean error may move
     */
    public double thresholdSd() {
        return thresholdSd;
    }

    /**
     * Fits the method on a reference: its numeric columns, their standardisation, the components and
     * the reference rows' errors.
     *
     * @param reference the training data (at least two numeric columns that vary, and more rows
     *     than columns)
     * @return the fitted detector
     * @throws IllegalArgumentException when the reference cannot support it
     */
    public MultivariateDrift fit(Dataset reference) {
        return PcaReconstruction.fit(reference, explainedVariance, thresholdSd);
    }

    @Override
    public String toString() {
        return "Multivariate[pcaReconstruction, explainedVariance=" + explainedVariance + ", thresholdSd=" + thresholdSd + "]";
    }
}
