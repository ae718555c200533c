package io.mlops.monitor;

import java.util.Locale;

/**
 * An online change detector for an alert rule:
 * {@code AlertRule.when(Metric.ERROR_RATE).over(Duration.ofMinutes(10)).changeDetected(ChangeDetector.pageHinkley(0.005, 0.05))}.
 * The rule's metric is observed once per whole window (windows aligned to the epoch, so every
 * instance of a fleet sees the same ones), each observation is fed to the detector, and an alert
 * opens when it signals a change for the worse — and resolves itself at the next observation
 * without one. The detector's state is kept in the monitor store (SQLite, PostgreSQL): a restarted
 * monitor continues where it stopped, and the instances of a fleet share one state, each window
 * observed once.
 *
 * <ul>
 *   <li><b>Page-Hinkley</b> (Page 1954, "Continuous inspection schemes", Biometrika 41; in the form
 *       surveyed by Gama et al. 2014, "A survey on concept drift adaptation", ACM Computing Surveys
 *       46(4)): with {@code x} the observations (negated for metrics where lower is worse) and
 *       {@code x̄_t} their running mean, {@code m_T = Σ_{t≤T} (x_t − x̄_t − δ)}; a change when
 *       {@code m_T − min_{t≤T} m_t > λ}, after at least 30 observations; the detector then starts
 *       afresh. {@code δ} is the change tolerated, {@code λ} the evidence asked for, both in the
 *       metric's units. Detects a rise of the mean of size {@code d} after about
 *       {@code λ / (d − δ)} observations.</li>
 *   <li><b>ADWIN</b> (Bifet and Gavaldà 2007, "Learning from time-changing data with adaptive
 *       windowing", SIAM SDM): keeps the recent observations (at most 1,000) and, after each one,
 *       drops the older part of the window while some split into an older and a newer part (at
 *       least 5 each) has means further apart than
 *       {@code ε = sqrt(2/m · σ² · ln(2/δ')) + 2/(3m) · ln(2/δ')}, {@code m} the harmonic mean of
 *       the parts' sizes, {@code σ²} the window's variance, {@code δ' = δ / n}: the chance of
 *       dropping part of a window without a change is at most {@code δ} per observation. A change
 *       for the worse (the newer part's mean worse) opens the alert.</li>
 * </ul>
 *
 * Immutable.
 *
 * @since 0.1.0
 */
public final class ChangeDetector {

    /** The detector's algorithm. */
    public enum Kind {
        /** Page-Hinkley. */
        PAGE_HINKLEY,
        /** ADWIN. */
        ADWIN
    }

    /** The observations Page-Hinkley needs before it may signal. */
    public static final int PAGE_HINKLEY_MIN_OBSERVATIONS = 30;
    /** The most observations ADWIN keeps. */
    public static final int ADWIN_MAX_OBSERVATIONS = 1_000;
    /** The fewest observations in each part of an ADWIN split. */
    public static final int ADWIN_MIN_PART = 5;

    private final Kind kind;
    private final double delta;
    private final double lambda;

    private ChangeDetector(Kind kind, double delta, double lambda) {
        this.kind = kind;
        this.delta = delta;
        this.lambda = lambda;
    }

    /**
     * @param delta the change tolerated, {@code >= 0}, in the metric's units
     * @param lambda the evidence a change needs, {@code > 0}, in the metric's units
     * @return a Page-Hinkley detector
     */
    public static ChangeDetector pageHinkley(double delta, double lambda) {
        if (!(delta >= 0) || Double.isInfinite(delta) || !(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("Page-Hinkley needs delta >= 0 and lambda > 0, finite, but they were " + delta
                    + " and " + lambda);
        }
        return new ChangeDetector(Kind.PAGE_HINKLEY, delta, lambda);
    }

    /**
     * @param delta the chance per observation of a false change, in (0, 1); the paper uses 0.002
     * @return an ADWIN detector
     */
    public static ChangeDetector adwin(double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("ADWIN's delta must be in (0, 1) but was " + delta);
        }
        return new ChangeDetector(Kind.ADWIN, delta, Double.NaN);
    }

    /**
     * @return the algorithm
     */
    public Kind kind() {
        return kind;
    }

    /**
     * @return Page-Hinkley's tolerated change, or ADWIN's confidence parameter
     */
    public double delta() {
        return delta;
    }

    /**
     * @return Page-Hinkley's threshold; NaN for ADWIN
     */
    public double lambda() {
        return lambda;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeDetector c && c.kind == kind && Double.compare(c.delta, delta) == 0
                && Double.compare(c.lambda, lambda) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, delta, lambda);
    }

    @Override
    public String toString() {
        return kind == Kind.PAGE_HINKLEY ? String.format(Locale.ROOT, "Page-Hinkley(delta %s, lambda %s)", delta, lambda)
                : String.format(Locale.ROOT, "ADWIN(delta %s)", delta);
    }
}
