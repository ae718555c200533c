package io.mlops.drift.stats;

import java.util.Objects;

/**
 * The Kolmogorov-Smirnov statistic and the first Wasserstein distance of two samples already
 * sorted ascending, from one walk over their pooled order (a drift check needs both; walking once
 * halves the work). Each value is what {@link KolmogorovSmirnov#testSorted} and
 * {@link Wasserstein#distanceSorted} give for the same samples. Immutable and thread-safe; the
 * arrays are read during {@link #of} only.
 *
 * @since 0.1.0
 */
public final class SortedComparison {

    private final int referenceSize;
    private final int currentSize;
    private final double ksStatistic;
    private final double wasserstein;

    private SortedComparison(int referenceSize, int currentSize, double ksStatistic, double wasserstein) {
        this.referenceSize = referenceSize;
        this.currentSize = currentSize;
        this.ksStatistic = ksStatistic;
        this.wasserstein = wasserstein;
    }

    /**
     * Compares two sorted samples.
     *
     * @param sortedReference the first sample, sorted ascending, not empty, no NaN (infinities allowed)
     * @param sortedCurrent the second sample, sorted ascending, not empty, no NaN (infinities allowed)
     * @return both statistics
     * @throws IllegalArgumentException when a sample is empty
     */
    public static SortedComparison of(double[] sortedReference, double[] sortedCurrent) {
        requireSamples(sortedReference, "sortedReference", sortedCurrent, "sortedCurrent");
        int n1 = sortedReference.length;
        int n2 = sortedCurrent.length;
        if (finite(sortedReference) && finite(sortedCurrent)) {
            double[] both = PooledWalk.walk(sortedReference, sortedCurrent);
            return new SortedComparison(n1, n2, both[0], both[1]);
        }
        return new SortedComparison(n1, n2, KolmogorovSmirnov.mergeStatistic(sortedReference, sortedCurrent),
                Wasserstein.walk(sortedReference, sortedCurrent));
    }

    /** The checks every two-sample statistic makes: both samples given and not empty. */
    static void requireSamples(double[] a, String aName, double[] b, String bName) {
        Objects.requireNonNull(a, aName);
        Objects.requireNonNull(b, bName);
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("both samples must be non-empty but had " + a.length + " and " + b.length + " values");
        }
    }

    static boolean finite(double[] sorted) {
        return Double.isFinite(sorted[0]) && Double.isFinite(sorted[sorted.length - 1]);
    }

    /**
     * @return D, the largest distance between the two empirical CDFs
     */
    public double ksStatistic() {
        return ksStatistic;
    }

    /**
     * The Kolmogorov-Smirnov test on this statistic, as {@link KolmogorovSmirnov#testSorted} with the same method.
     *
     * @param method how to compute the p-value
     * @return D (rounded to the lattice for the exact method, as SciPy does), the p-value and the method used
     */
    public KsResult ks(KsMethod method) {
        return KolmogorovSmirnov.fromStatistic(ksStatistic, referenceSize, currentSize, method);
    }

    /**
     * The Kolmogorov-Smirnov test on this statistic for a reference this comparison's first sample
     * summarises: its p-value is that of a reference of {@code referenceCount} values (a drift
     * profile's quantile points stand for its column's values).
     *
     * @param method how to compute the p-value
     * @param referenceCount how many values the reference sample stands for, {@code >= 1}
     * @return D, the p-value and the method used
     * @since 0.1.0
     */
    public KsResult ks(KsMethod method, int referenceCount) {
        if (referenceCount < 1) {
            throw new IllegalArgumentException("referenceCount must be >= 1 but was " + referenceCount);
        }
        return KolmogorovSmirnov.fromStatistic(ksStatistic, referenceCount, currentSize, method);
    }

    /**
     * The Kolmogorov-Smirnov test on this statistic for two samples that both summarise columns:
     * its p-value is that of samples of {@code referenceCount} and {@code currentCount} values (two
     * profiles' quantile points).
     *
     * @param method how to compute the p-value
     * @param referenceCount how many values the reference sample stands for, {@code >= 1}
     * @param currentCount how many values the current sample stands for, {@code >= 1}
     * @return D, the p-value and the method used
     * @since 0.1.0
     */
    public KsResult ks(KsMethod method, int referenceCount, int currentCount) {
        if (referenceCount < 1 || currentCount < 1) {
            throw new IllegalArgumentException("counts must be >= 1 but were " + referenceCount + " and " + currentCount);
        }
        return KolmogorovSmirnov.fromStatistic(ksStatistic, referenceCount, currentCount, method);
    }

    /**
     * The same test for samples read from quantile sketches, whose D may be off by up to
     * {@code allowance} (the two sketches' rank errors): the p-value is that of D less the allowance
     * (at least 0), so that a difference the sketches alone could have made is not called drift; the
     * result still reports D as computed. Conservative: it loses the power to see shifts smaller than
     * the allowance, which the counts alone would have given.
     *
     * @param method how to compute the p-value
     * @param referenceCount how many values the reference sample stands for, {@code >= 1}
     * @param currentCount how many values the current sample stands for, {@code >= 1}
     * @param allowance the error bound of D, in [0, 1]
     * @return D, the p-value of D less the allowance, and the method used
     * @since 0.1.0
     */
    public KsResult ks(KsMethod method, int referenceCount, int currentCount, double allowance) {
        if (!(allowance >= 0 && allowance <= 1)) {
            throw new IllegalArgumentException("allowance must be in [0, 1] but was " + allowance);
        }
        if (allowance == 0) {
            return ks(method, referenceCount, currentCount);
        }
        if (referenceCount < 1 || currentCount < 1) {
            throw new IllegalArgumentException("counts must be >= 1 but were " + referenceCount + " and " + currentCount);
        }
        KsResult reduced = KolmogorovSmirnov.fromStatistic(Math.max(0, ksStatistic - allowance), referenceCount, currentCount,
                method);
        return new KsResult(ksStatistic, reduced.pValue(), reduced.method());
    }

    /**
     * @return the first Wasserstein distance, in the samples' units
     */
    public double wasserstein() {
        return wasserstein;
    }
}
