package io.mlops.serving.internal;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * One-sided confidence bounds for the difference of two proportions, canary minus primary, by the
 * Agresti–Caffo interval: one success and one failure are added to each side before the Wald
 * interval is taken, which keeps the coverage close to nominal for small counts and gives a
 * meaningful bound when both sides saw zero events. Both bounds are at the same one-sided confidence.
 */
final class NonInferiority {

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    /**
     * The bounds of (p_canary − p_primary).
     *
     * @param lower the lower one-sided bound
     * @param upper the upper one-sided bound
     */
    record Bounds(double lower, double upper) {
    }

    private NonInferiority() {
    }

    /**
     * Returns the one-sided bounds at the confidence.
     *
     * @param canaryEvents events among the canary's trials
     * @param canaryTrials the canary's trials
     * @param primaryEvents events among the primary's trials
     * @param primaryTrials the primary's trials
     * @param confidence one-sided, in [0.5, 1)
     * @return the bounds
     */
    static Bounds difference(long canaryEvents, long canaryTrials, long primaryEvents, long primaryTrials, double confidence) {
        if (canaryEvents < 0 || primaryEvents < 0 || canaryEvents > canaryTrials || primaryEvents > primaryTrials) {
            throw new IllegalArgumentException("events must be within 0..trials but were " + canaryEvents + "/" + canaryTrials
                    + " and " + primaryEvents + "/" + primaryTrials);
        }
        double nc = canaryTrials + 2.0;
        double np = primaryTrials + 2.0;
        double pc = (canaryEvents + 1) / nc;
        double pp = (primaryEvents + 1) / np;
        double se = Math.sqrt(pc * (1 - pc) / nc + pp * (1 - pp) / np);
        double z = NORMAL.inverseCumulativeProbability(confidence);
        double d = pc - pp;
        return new Bounds(d - z * se, d + z * se);
    }
}
