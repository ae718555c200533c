package io.mlops.serving;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a canary is judged and rolled out: {@code ModelServer.builder()...canary("staging", 0.10)
 * .analysis(CanaryAnalysis.builder().build())}. The canary starts at the {@code canary} share; at
 * every check the analysis compares the canary's version with the primary's on the monitor's
 * per-version metrics since the rollout began, gate by gate:
 * <ul>
 *   <li><b>error rate</b>: the canary must be shown <em>not worse than the primary by more than
 *       {@link Builder#errorRateMargin the margin}</em> — a one-sided non-inferiority test on the
 *       difference of the two proportions, by default with bounds valid at every look
 *       ({@link Method#ANYTIME_VALID}: a mixture sequential probability ratio test), else with the
 *       fixed-sample Agresti–Caffo interval ({@link Method#FIXED_SAMPLE}); either way each side's
 *       rate is smoothed with one failure and one success, so that zero errors on both sides still
 *       give an honest bound. It passes when the upper {@link Builder#confidence confidence} bound
 *       of (canary − primary) is below the margin, fails when the lower bound is above it, and
 *       otherwise waits for more requests;</li>
 *   <li><b>accuracy</b> (only with {@link Builder#accuracyMargin}): the same test on the share of
 *       correct predictions among those with feedback, once both sides have
 *       {@link Builder#minFeedback} of them;</li>
 *   <li><b>latency</b>: the canary's p95 must stay within {@code ratio × primary p95 + slack}
 *       ({@link Builder#latencyP95}); no test, the monitor's p95 is within 1%;</li>
 *   <li><b>prediction drift</b> (only with {@link Builder#maxPredictionPsi}): the population
 *       stability index of the canary's predictions against the primary's over the same rollout —
 *       over the labels for classifiers (integers, strings, booleans), over the primary's deciles
 *       for numeric predictions — must stay at or below the limit. No test: with 500 predictions a
 *       side PSI's own noise is about 0.02, well below the usual limits of 0.1 to 0.25.</li>
 * </ul>
 * Nothing is judged before both versions have {@link Builder#minRequests} requests. When every gate
 * passes and the step has lasted {@link Builder#stepDuration}, the share moves to the next of
 * {@link Builder#steps} (default 25% then 50%); after the last, the analysis <b>promotes</b>: the
 * {@link Builder#promoteTo promotion alias} moves to the canary's version with the numbers in the
 * alias change's reason ({@code registry.aliasHistory(...)}), audited like any move. When a gate
 * fails, or a step reaches its horizon — {@link Builder#maxStepRequests} canary requests, or
 * {@link Builder#maxStepDuration} for thin traffic — without every gate passing, the analysis
 * <b>aborts</b>: the canary's share drops to zero at once, an alert opens through the monitor
 * ({@code ModelMonitor.raise}, rule {@code canary MODEL VERSION}, severity critical), and the alias
 * never moves. Every decision, with its numbers, is kept in {@link Rollout#decisions()} and shown
 * in {@code /model_info}.
 *
 * <p>A rollout begins when the canary alias points at a version that differs from the primary's
 * (at start, or when the alias moves); moving the canary alias to another version begins a new one.
 * A version the promotion alias has pointed at before, or whose canary alert is still open, is not
 * rolled out again (a promoted-then-rolled-back version does not come back by itself). Rolling back
 * stays one call: {@code registry.rollback(model, "production")}.
 *
 * <p>The checks look at the data again and again. With the default {@link Method#ANYTIME_VALID}
 * that is what the bounds are made for: the chance of a wrong promotion (a canary worse by the
 * margin) or of failing an as-good canary's gate stays at most {@code 1 − confidence} however many
 * checks run. With {@link Method#FIXED_SAMPLE} each look is a new test, and over many looks a wrong
 * promotion is more likely than {@code 1 − confidence}. Instances are immutable.
 *
 * @since 0.1.0
 */
public final class CanaryAnalysis {

    private final double[] steps;
    private final Duration stepDuration;
    private final Duration maxStepDuration;
    private final long maxStepRequests;
    private final Method method;
    private final long minRequests;
    private final double errorRateMargin;
    private final Double accuracyMargin;
    private final long minFeedback;
    private final Double maxPredictionPsi;
    private final double latencyRatio;
    private final Duration latencySlack;
    private final double confidence;
    private final Duration checkInterval;
    private final String promoteTo;
    private final Clock clock;

    private CanaryAnalysis(Builder b) {
        this.steps = b.steps.clone();
        this.stepDuration = b.stepDuration;
        this.maxStepDuration = b.maxStepDuration;
        this.maxStepRequests = b.maxStepRequests;
        this.method = b.method;
        this.minRequests = b.minRequests;
        this.errorRateMargin = b.errorRateMargin;
        this.accuracyMargin = b.accuracyMargin;
        this.minFeedback = b.minFeedback;
        this.maxPredictionPsi = b.maxPredictionPsi;
        this.latencyRatio = b.latencyRatio;
        this.latencySlack = b.latencySlack;
        this.confidence = b.confidence;
        this.checkInterval = b.checkInterval;
        this.promoteTo = b.promoteTo;
        this.clock = b.clock;
    }

    /**
     * Starts an analysis with the defaults: steps 25% and 50% after the canary's share, 10 minutes
     * per step at least, at most 20,000 canary requests (and 24 hours) per step, 500 requests per
     * version, error-rate margin 0.01 with anytime-valid bounds at 95% confidence, p95 within 1.5x +
     * 5 ms, checked every 30 seconds, promoting the server's alias.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the traffic shares after the canary's first, in order
     */
    public double[] steps() {
        return steps.clone();
    }

    /**
     * @return the shortest time a step lasts
     */
    public Duration stepDuration() {
        return stepDuration;
    }

    /**
     * @return how long a step may last without every gate passing before the rollout aborts
     */
    public Duration maxStepDuration() {
        return maxStepDuration;
    }

    /**
     * @return the canary requests a step may take without every gate passing (the traffic horizon)
     */
    public long maxStepRequests() {
        return maxStepRequests;
    }

    /**
     * @return how the error-rate and accuracy gates bound the difference ({@link Builder#sequential()}
     *     or {@link Builder#fixedSample()})
     */
    public Method method() {
        return method;
    }

    /**
     * @return the requests each version needs before anything is judged
     */
    public long minRequests() {
        return minRequests;
    }

    /**
     * @return how much higher the canary's error rate may be than the primary's
     */
    public double errorRateMargin() {
        return errorRateMargin;
    }

    /**
     * @return how much lower the canary's accuracy may be, or null when accuracy is not judged
     */
    public Double accuracyMargin() {
        return accuracyMargin;
    }

    /**
     * @return the predictions with feedback each version needs before accuracy is judged
     */
    public long minFeedback() {
        return minFeedback;
    }

    /**
     * @return the largest PSI of the canary's predictions against the primary's, or null when not judged
     */
    public Double maxPredictionPsi() {
        return maxPredictionPsi;
    }

    /**
     * @return the largest ratio of the canary's p95 latency to the primary's
     */
    public double latencyRatio() {
        return latencyRatio;
    }

    /**
     * @return the latency allowed on top of the ratio
     */
    public Duration latencySlack() {
        return latencySlack;
    }

    /**
     * @return the one-sided confidence of the tests
     */
    public double confidence() {
        return confidence;
    }

    /**
     * @return how often the analysis runs
     */
    public Duration checkInterval() {
        return checkInterval;
    }

    /**
     * @return the alias moved on success, or null for the server's own alias
     */
    public String promoteTo() {
        return promoteTo;
    }

    /**
     * @return the clock the steps are timed with
     */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "CanaryAnalysis[steps=" + Arrays.toString(steps) + ", stepDuration=" + stepDuration + ", minRequests="
                + minRequests + ", errorRateMargin=" + errorRateMargin + ", accuracyMargin=" + accuracyMargin + ", maxPredictionPsi=" + maxPredictionPsi
                + ", latencyP95=" + latencyRatio + "x+" + latencySlack + ", confidence=" + confidence + ", method=" + method
                + ", maxStepRequests=" + maxStepRequests + ", maxStepDuration=" + maxStepDuration + "]";
    }

    /** How the error-rate and accuracy gates bound the difference between the canary and the primary. */
    public enum Method {
        /**
         * Bounds valid at every look, however many (the default): the confidence sequence of the
         * mixture sequential probability ratio test (Robbins 1970; Johari, Koomen, Pekelis and Walsh
         * 2022, "Always valid inference: continuous monitoring of A/B tests", Operations Research
         * 70(3)), with the gate's margin as the mixing standard deviation. The chance that the true
         * difference leaves the bounds at any check of the rollout is at most {@code 1 − confidence}
         * (under the normal approximation of the counts): a canary worse than the primary by the
         * margin is promoted, and one as good as the primary fails its gate, each with at most that
         * chance, however often the analysis looks.
         */
        ANYTIME_VALID,
        /**
         * The fixed-sample Agresti–Caffo interval at each check: narrower, so it decides with fewer
         * requests, but each check is a new test at the stated confidence, and over many checks a
         * wrong promotion is more likely than {@code 1 − confidence} (measured: 6.5-6.8% at a
         * nominal 5% for a canary exactly at the margin, checks every 30 s).
         */
        FIXED_SAMPLE
    }

    /** Builds a {@link CanaryAnalysis}; not thread-safe. */
    public static final class Builder {
        private double[] steps = {0.25, 0.50};
        private Duration stepDuration = Duration.ofMinutes(10);
        private Duration maxStepDuration = Duration.ofHours(24);
        private long maxStepRequests = 20_000;
        private Method method = Method.ANYTIME_VALID;
        private long minRequests = 500;
        private double errorRateMargin = 0.01;
        private Double accuracyMargin;
        private long minFeedback = 200;
        private Double maxPredictionPsi;
        private double latencyRatio = 1.5;
        private Duration latencySlack = Duration.ofMillis(5);
        private double confidence = 0.95;
        private Duration checkInterval = Duration.ofSeconds(30);
        private String promoteTo;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets the traffic shares the canary moves through after its first ({@code canary(alias, share)}),
         * each larger than the one before, at most 1. No steps: promote after the first.
         *
         * @param shares the shares, such as {@code 0.25, 0.50}
         * @return this
         */
        public Builder steps(double... shares) {
            for (int i = 0; i < shares.length; i++) {
                if (!(shares[i] > 0 && shares[i] <= 1) || i > 0 && shares[i] <= shares[i - 1]) {
                    throw new IllegalArgumentException("steps must rise within (0, 1] but were " + Arrays.toString(shares));
                }
            }
            this.steps = shares.clone();
            return this;
        }

        /**
         * Sets the shortest time a step lasts, so that the canary sees more than one moment's traffic.
         *
         * @param duration positive
         * @return this
         */
        public Builder stepDuration(Duration duration) {
            this.stepDuration = positive(duration, "stepDuration");
            return this;
        }

        /**
         * Sets how long a step may last without every gate passing (default 24 h); then the rollout
         * aborts as inconclusive. The step's horizon is set by its traffic
         * ({@link #maxStepRequests}); this is the backstop for traffic too thin to reach it.
         *
         * @param duration positive, at least the step duration
         * @return this
         */
        public Builder maxStepDuration(Duration duration) {
            this.maxStepDuration = positive(duration, "maxStepDuration");
            return this;
        }

        /**
         * Sets how many requests the canary may receive in one step without every gate passing
         * (default 20,000); then the rollout aborts as inconclusive. The horizon follows the
         * traffic, not the clock: a canary as good as the primary is decided long before it (at a
         * 2% error rate and a margin of 0.01, in 2,000 to 5,000 canary requests), whatever the
         * request rate, while one that cannot be told apart from a regression of the margin's size
         * is not served to a share of the traffic forever.
         *
         * @param requests at least {@link #minRequests}
         * @return this
         */
        public Builder maxStepRequests(long requests) {
            if (requests < 1) {
                throw new IllegalArgumentException("maxStepRequests must be >= 1 but was " + requests);
            }
            this.maxStepRequests = requests;
            return this;
        }

        /**
         * Bounds the error-rate and accuracy gates' difference with the anytime-valid confidence
         * sequence ({@link Method#ANYTIME_VALID}) — the default.
         *
         * @return this
         */
        public Builder sequential() {
            this.method = Method.ANYTIME_VALID;
            return this;
        }

        /**
         * Bounds the error-rate and accuracy gates' difference with the fixed-sample Agresti–Caffo
         * interval at each check ({@link Method#FIXED_SAMPLE}): the test before anytime-valid bounds
         * became the default.
         *
         * @return this
         */
        public Builder fixedSample() {
            this.method = Method.FIXED_SAMPLE;
            return this;
        }

        /**
         * Sets the requests each version needs before anything is judged.
         *
         * @param requests at least 1
         * @return this
         */
        public Builder minRequests(long requests) {
            if (requests < 1) {
                throw new IllegalArgumentException("minRequests must be >= 1 but was " + requests);
            }
            this.minRequests = requests;
            return this;
        }

        /**
         * Sets how much higher than the primary's the canary's error rate may be (absolute, such as
         * 0.01 for one percentage point).
         *
         * @param margin in (0, 1)
         * @return this
         */
        public Builder errorRateMargin(double margin) {
            this.errorRateMargin = margin(margin, "errorRateMargin");
            return this;
        }

        /**
         * Judges accuracy too, where feedback arrives: the canary's may be at most this much lower
         * than the primary's. Without feedback on both sides the step cannot pass.
         *
         * @param margin in (0, 1)
         * @return this
         */
        public Builder accuracyMargin(double margin) {
            this.accuracyMargin = margin(margin, "accuracyMargin");
            return this;
        }

        /**
         * Sets the predictions with feedback each version needs before accuracy is judged.
         *
         * @param predictions at least 1
         * @return this
         */
        public Builder minFeedback(long predictions) {
            if (predictions < 1) {
                throw new IllegalArgumentException("minFeedback must be >= 1 but was " + predictions);
            }
            this.minFeedback = predictions;
            return this;
        }

        /**
         * Judges prediction drift too: the PSI of the canary's predictions against the primary's
         * must stay at or below this (0.1: a moderate shift, 0.25: a large one).
         *
         * @param psi positive
         * @return this
         */
        public Builder maxPredictionPsi(double psi) {
            if (!(psi > 0) || Double.isInfinite(psi)) {
                throw new IllegalArgumentException("maxPredictionPsi must be positive but was " + psi);
            }
            this.maxPredictionPsi = psi;
            return this;
        }

        /**
         * Sets the latency gate: the canary's p95 may be at most {@code ratio × primary p95 + slack}.
         *
         * @param ratio at least 1
         * @param slack zero or more, for models so fast that a ratio alone is noise
         * @return this
         */
        public Builder latencyP95(double ratio, Duration slack) {
            if (!(ratio >= 1) || Double.isInfinite(ratio)) {
                throw new IllegalArgumentException("the latency ratio must be >= 1 but was " + ratio);
            }
            Objects.requireNonNull(slack, "slack");
            if (slack.isNegative()) {
                throw new IllegalArgumentException("the latency slack must not be negative but was " + slack);
            }
            this.latencyRatio = ratio;
            this.latencySlack = slack;
            return this;
        }

        /**
         * Sets the one-sided confidence of the tests.
         *
         * @param confidence in [0.5, 1)
         * @return this
         */
        public Builder confidence(double confidence) {
            if (!(confidence >= 0.5 && confidence < 1)) {
                throw new IllegalArgumentException("confidence must be in [0.5, 1) but was " + confidence);
            }
            this.confidence = confidence;
            return this;
        }

        /**
         * Sets how often the analysis runs ({@code ModelServer.checkRollout()} runs it at once).
         *
         * @param interval positive
         * @return this
         */
        public Builder checkInterval(Duration interval) {
            this.checkInterval = positive(interval, "checkInterval");
            return this;
        }

        /**
         * Sets the alias moved to the canary's version on success (default: the alias the server serves).
         *
         * @param alias an alias
         * @return this
         */
        public Builder promoteTo(String alias) {
            this.promoteTo = io.mlops.core.Names.validate("alias", alias);
            return this;
        }

        /**
         * Sets the clock that times the steps (the monitor's own clock, for simulations).
         *
         * @param clock a clock
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the analysis.
         *
         * @return the analysis
         * @throws IllegalStateException when the longest step is shorter than the shortest
         */
        public CanaryAnalysis build() {
            if (maxStepDuration.compareTo(stepDuration) < 0) {
                throw new IllegalStateException("maxStepDuration " + maxStepDuration + " is shorter than stepDuration "
                        + stepDuration);
            }
            if (maxStepRequests < minRequests) {
                throw new IllegalStateException("maxStepRequests " + maxStepRequests + " is below minRequests " + minRequests);
            }
            return new CanaryAnalysis(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive but was " + d);
            }
            return d;
        }

        private static double margin(double m, String what) {
            if (!(m > 0 && m < 1)) {
                throw new IllegalArgumentException(what + " must be in (0, 1) but was " + m);
            }
            return m;
        }
    }
}
