package io.mlops.drift;

import io.mlops.core.Dataset;
import io.mlops.drift.internal.DomainClassifier;
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
 * columns are not part of it.
 *
 * <p><b>Domain classifier</b> ({@link #domainClassifier()}): a classifier is asked to tell
 * reference rows from current ones; if it can, they differ. Here it is a k-nearest-neighbours
 * classifier on the standardised numeric features (k = 10; at most 2,000 rows a side, a seeded
 * sample beyond), each row scored by the share of current rows among its nearest others
 * (leave-one-out, so the score is the classifier's honest out-of-sample one), and the AUC of those
 * scores against the rows' origin is the statistic: 0.5 when the classifier cannot tell them apart.
 * Its threshold comes from 199 permutations of the origins over the same neighbours: drift when the
 * permutation p-value is at most 0.01, whatever the data's shape. It sees any difference the
 * neighbourhoods show (shifts, correlations, new clusters) at the cost of a few hundred
 * milliseconds per check. Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Multivariate {

    private final boolean domain;
    private final double explainedVariance;
    private final double thresholdSd;

    private Multivariate(boolean domain, double explainedVariance, double thresholdSd) {
        this.domain = domain;
        this.explainedVariance = explainedVariance;
        this.thresholdSd = thresholdSd;
    }

    /**
     * @return PCA reconstruction error with the defaults (65% of the variance, 3 standard errors)
     */
    public static Multivariate pcaReconstruction() {
        return new Multivariate(false, 0.65, 3);
    }

    /**
     * @return the domain classifier (10 nearest neighbours, 199 permutations, significance 0.01,
     *     at most 2,000 rows a side)
     */
    public static Multivariate domainClassifier() {
        return new Multivariate(true, Double.NaN, Double.NaN);
    }

    /**
     * @param share the share of the standardised variance the kept components explain, in (0, 1)
     * @return a copy with it
     */
    public Multivariate explainedVariance(double share) {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("explainedVariance must be in (0, 1) but was " + share);
        }
        requirePca("explainedVariance");
        return new Multivariate(false, share, thresholdSd);
    }

    /**
     * @param k how many standard errors of the reference's mean error the current mean may move, {@code > 0}
     * @return a copy with it
     */
    public Multivariate thresholdSd(double k) {
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("thresholdSd must be positive but was " + k);
        }
        requirePca("thresholdSd");
        return new Multivariate(false, explainedVariance, k);
    }

    private void requirePca(String setting) {
        if (domain) {
            throw new IllegalStateException(setting + " applies to pcaReconstruction(), not the domain classifier");
        }
    }

    /**
     * @return the share of the variance the kept components explain (NaN for the domain classifier)
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
        return domain ? DomainClassifier.fit(reference, 10, 199, 0.01, 2_000)
                : PcaReconstruction.fit(reference, explainedVariance, thresholdSd);
    }

    @Override
    public String toString() {
        return domain ? "Multivariate[domainClassifier]"
                : "Multivariate[pcaReconstruction, explainedVariance=" + explainedVariance + ", thresholdSd=" + thresholdSd + "]";
    }
}
