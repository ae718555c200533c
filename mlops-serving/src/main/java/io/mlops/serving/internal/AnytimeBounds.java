package io.mlops.serving.internal;

/**
 * Bounds for the difference of two proportions (canary − primary) that stay valid however often
 * they are looked at: the confidence sequence of the mixture sequential probability ratio test
 * (mSPRT) with a normal mixing distribution — Robbins (1970), "Statistical methods related to the
 * law of the iterated logarithm", Ann. Math. Statist. 41(5); in the two-sample form of Johari,
 * Koomen, Pekelis and Walsh (2022), "Always valid inference: continuous monitoring of A/B tests",
 * Operations Research 70(3), 1806-1821.
 *
 * <p>With {@code d} the observed difference, {@code V} its variance (each side's rate smoothed as
 * Agresti–Caffo smooth it: one event and one non-event added, so zero events still give a
 * variance), {@code τ²} the mixing variance and {@code α = 1 − confidence}, the mixture likelihood
 * ratio against a difference {@code θ} is {@code sqrt(V/(V+τ²)) · exp(τ²(d−θ)² / (2V(V+τ²)))}; the
 * bounds are the {@code θ} where it stays below {@code 1/α}:
 * <pre>d ± sqrt( 2V(V+τ²)/τ² · ln( sqrt((V+τ²)/V) / α ) )</pre>
 * The guarantee (Ville's inequality on the mixture martingale, under the normal approximation of the
 * counts): the chance that the true difference leaves the bounds at <em>any</em> look, however
 * many, is at most {@code α} — each one-sided bound at most {@code α} too. The bounds are wider
 * than a fixed-sample interval at the same confidence; the width is smallest at the sample sizes
 * where the difference's standard error is near {@code τ}.
 */
final class AnytimeBounds {

    private AnytimeBounds() {
    }

    /**
     * Returns the bounds of (canary − primary).
     *
     * @param canaryEvents events among the canary's trials
     * @param canaryTrials the canary's trials
     * @param primaryEvents events among the primary's trials
     * @param primaryTrials the primary's trials
     * @param confidence in [0.5, 1): the chance that the bounds hold at every look
     * @param tau the mixing standard deviation, {@code > 0} (the size of differences the test is tuned to)
     * @return the bounds
     */
    static NonInferiority.Bounds difference(long canaryEvents, long canaryTrials, long primaryEvents, long primaryTrials,
                                            double confidence, double tau) {
        if (canaryEvents < 0 || primaryEvents < 0 || canaryEvents > canaryTrials || primaryEvents > primaryTrials) {
            throw new IllegalArgumentException("events must be within 0..trials but were " + canaryEvents + "/" + canaryTrials
                    + " and " + primaryEvents + "/" + primaryTrials);
        }
        if (!(tau > 0)) {
            throw new IllegalArgumentException("tau must be > 0 but was " + tau);
        }
        double nc = canaryTrials + 2.0;
        double np = primaryTrials + 2.0;
        double pc = (canaryEvents + 1) / nc;
        double pp = (primaryEvents + 1) / np;
        double v = pc * (1 - pc) / nc + pp * (1 - pp) / np;
        double t2 = tau * tau;
        double alpha = 1 - confidence;
        double halfWidth = Math.sqrt(2 * v * (v + t2) / t2 * Math.log(Math.sqrt((v + t2) / v) / alpha));
        double d = pc - pp;
        return new NonInferiority.Bounds(d - halfWidth, d + halfWidth);
    }
}
