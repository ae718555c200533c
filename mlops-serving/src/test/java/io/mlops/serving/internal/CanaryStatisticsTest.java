package io.mlops.serving.internal;

import io.mlops.monitor.MetricsSnapshot;
import io.mlops.serving.CanaryAnalysis;
import io.mlops.serving.Rollout;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canary analysis's statistics under the way it is used: checks every 30 s from the start of
 * the rollout to its end, through the steps (10% → 25% → 50%), with the analysis's own gates
 * ({@link CanaryGates}) and moves ({@link StepPolicy}) on seeded binomial traffic — 1,000 rollouts
 * per scenario, each method in the same run.
 *
 * <p>Bounds: with α = 5% and 1,000 rollouts, a rate of at most α shows as at most 64 events (the
 * upper end of the binomial's central 95% interval at 5%: 1000 · 0.05 + 1.96 · sqrt(1000 · 0.05 ·
 * 0.95) = 63.5).
 */
class CanaryStatisticsTest {

    static final int ROLLOUTS = 1_000;
    static final int WITHIN_ALPHA = 64;

    enum End { PROMOTED, FAILED, INCONCLUSIVE }

    /** A rollout's end, and the canary requests it took. */
    record Outcome(End end, long canaryRequests) {
    }

    /** Tally of a scenario. */
    record Tally(int promoted, int failed, int inconclusive, double meanRequestsToAbort) {
        int aborted() {
            return failed + inconclusive;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "promoted %d, failed %d, inconclusive %d of %d; mean canary requests to an abort %.0f",
                    promoted, failed, inconclusive, ROLLOUTS, meanRequestsToAbort);
        }
    }

    static MetricsSnapshot snapshot(long requests, long errors) {
        Instant now = Instant.EPOCH;
        return new MetricsSnapshot(now, now, "v", new MetricsSnapshot.Counts(requests, requests - errors, errors, 0, 0, 0),
                new MetricsSnapshot.Quality(null, null, null, null, null, null),
                new MetricsSnapshot.Latency(1.0, 1.0, 1.0, 1.0), requests == 0 ? null : errors / (double) requests, 0);
    }

    static long binomial(RandomGenerator rng, long n, double p) {
        return n == 0 ? 0 : new BinomialDistribution(rng, (int) n, p).sample();
    }

    /** One rollout: requests at {@code rps}, a check every 30 s, until it promotes or aborts. */
    static Outcome rollout(CanaryAnalysis a, double firstShare, double rps, double primaryErrors, double canaryErrors,
                           RandomGenerator rng) {
        long perCheck = Math.round(rps * a.checkInterval().toSeconds());
        double share = firstShare;
        int step = 0;
        long nc = 0;
        long xc = 0;
        long np = 0;
        long xp = 0;
        long stepStartRequests = 0;
        Duration inStep = Duration.ZERO;
        PredictionTally none = new PredictionTally();
        while (true) {
            long toCanary = binomial(rng, perCheck, share);
            nc += toCanary;
            np += perCheck - toCanary;
            xc += binomial(rng, toCanary, canaryErrors);
            xp += binomial(rng, perCheck - toCanary, primaryErrors);
            inStep = inStep.plus(a.checkInterval());
            List<Rollout.Gate> gates = CanaryGates.judge(a, snapshot(nc, xc), snapshot(np, xp), none, none);
            switch (StepPolicy.next(a, gates, inStep, nc - stepStartRequests)) {
                case ABORT_FAILED -> {
                    return new Outcome(End.FAILED, nc);
                }
                case ABORT_INCONCLUSIVE -> {
                    return new Outcome(End.INCONCLUSIVE, nc);
                }
                case ADVANCE -> {
                    if (step == a.steps().length) {
                        return new Outcome(End.PROMOTED, nc);
                    }
                    share = a.steps()[step++];
                    inStep = Duration.ZERO;
                    stepStartRequests = nc;
                }
                case WAIT -> {
                }
            }
        }
    }

    static Tally run(CanaryAnalysis a, double rps, double primaryErrors, double canaryErrors, long seed) {
        RandomGenerator rng = new Well19937c(seed);
        int promoted = 0;
        int failed = 0;
        int inconclusive = 0;
        long abortRequests = 0;
        for (int i = 0; i < ROLLOUTS; i++) {
            Outcome o = rollout(a, 0.10, rps, primaryErrors, canaryErrors, rng);
            switch (o.end()) {
                case PROMOTED -> promoted++;
                case FAILED -> failed++;
                case INCONCLUSIVE -> inconclusive++;
            }
            if (o.end() != End.PROMOTED) {
                abortRequests += o.canaryRequests();
            }
        }
        int aborted = failed + inconclusive;
        return new Tally(promoted, failed, inconclusive, aborted == 0 ? Double.NaN : abortRequests / (double) aborted);
    }

    static CanaryAnalysis analysis(CanaryAnalysis.Method method) {
        CanaryAnalysis.Builder b = CanaryAnalysis.builder();
        return (method == CanaryAnalysis.Method.FIXED_SAMPLE ? b.fixedSample() : b.sequential()).build();
    }

    /** The analysis as it was before: the fixed-sample test, and a one-hour horizon on the clock. */
    static CanaryAnalysis before() {
        return CanaryAnalysis.builder().fixedSample().maxStepDuration(Duration.ofHours(1))
                .maxStepRequests(Long.MAX_VALUE).build();
    }

    @Test
    void identicalCanariesArePromotedAtAnyTrafficWhereTheClockHorizonAbortedThem() {
        for (double rps : new double[] {5, 2}) {
            Tally anytime = run(analysis(CanaryAnalysis.Method.ANYTIME_VALID), rps, 0.02, 0.02, 11);
            Tally fixed = run(analysis(CanaryAnalysis.Method.FIXED_SAMPLE), rps, 0.02, 0.02, 11);
            Tally old = run(before(), rps, 0.02, 0.02, 11);
            System.out.printf(Locale.ROOT, "A/A at %.0f requests/s, 2%% errors each:%n  anytime-valid: %s%n  fixed-sample:  %s%n"
                    + "  before (fixed-sample, 1 h horizon): %s%n", rps, anytime, fixed, old);
            assertThat(anytime.aborted()).as("identical canaries aborted, anytime-valid, %s rps", rps)
                    .isLessThanOrEqualTo(WITHIN_ALPHA);
            assertThat(fixed.aborted()).as("identical canaries aborted, fixed-sample, %s rps", rps)
                    .isLessThanOrEqualTo(WITHIN_ALPHA);
            // the regression: the clock's horizon aborted as-good canaries far more often than alpha
            assertThat(old.aborted()).as("the old analysis's aborts of identical canaries, %s rps", rps)
                    .isGreaterThan(WITHIN_ALPHA);
        }
    }

    @Test
    void aCanaryWorseByTheMarginIsPromotedAtMostAlphaOfTheTimeHoweverOftenItIsLookedAt() {
        Tally anytime = run(analysis(CanaryAnalysis.Method.ANYTIME_VALID), 5, 0.02, 0.03, 23);
        Tally fixed = run(analysis(CanaryAnalysis.Method.FIXED_SAMPLE), 5, 0.02, 0.03, 23);
        System.out.printf(Locale.ROOT, "At the margin (3%% vs 2%%, margin 0.01), 5 requests/s:%n  anytime-valid: %s%n"
                + "  fixed-sample:  %s%n", anytime, fixed);
        assertThat(anytime.promoted()).as("wrong promotions, anytime-valid").isLessThanOrEqualTo(WITHIN_ALPHA);
    }

    @Test
    void worseCanariesAreCaughtAndTheRequestsItTakesAreStated() {
        for (double factor : new double[] {2, 5}) {
            Tally anytime = run(analysis(CanaryAnalysis.Method.ANYTIME_VALID), 5, 0.02, 0.02 * factor, 37);
            Tally fixed = run(analysis(CanaryAnalysis.Method.FIXED_SAMPLE), 5, 0.02, 0.02 * factor, 37);
            System.out.printf(Locale.ROOT, "A %.0fx worse canary (%.0f%% vs 2%% errors), 5 requests/s:%n  anytime-valid: %s%n"
                    + "  fixed-sample:  %s%n", factor, 2 * factor, anytime, fixed);
            assertThat(anytime.promoted()).as("%sx worse canaries promoted", factor).isZero();
            assertThat(anytime.failed()).as("%sx worse canaries caught by their gate", factor)
                    .isGreaterThanOrEqualTo(ROLLOUTS - WITHIN_ALPHA);
        }
    }
}
