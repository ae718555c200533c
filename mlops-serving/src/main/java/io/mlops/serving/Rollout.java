package io.mlops.serving;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a canary rollout under {@link CanaryAnalysis} stands: {@link ModelServer#rollout()} and
 * {@code /model_info}'s {@code rollout}. Immutable.
 *
 * @param state where the rollout stands
 * @param canaryVersion the version rolled out, or null while there is none
 * @param primaryVersion the version it is compared with, or null
 * @param step the step index: 0 at the canary's first share, 1 at the first of {@link CanaryAnalysis#steps()}...
 * @param share the share of requests the canary gets now (0 once promoted or aborted)
 * @param startedAt when the rollout began, or null
 * @param stepStartedAt when the current step began, or null
 * @param lastCheck the gates as last checked (empty before the first check)
 * @param decisions what was decided, oldest first (steps, promotion, abort)
 * @since 0.1.0
 */
public record Rollout(State state, String canaryVersion, String primaryVersion, int step, double share,
                      Instant startedAt, Instant stepStartedAt, List<Gate> lastCheck, List<Decision> decisions) {

    /**
     * Copies the lists.
     *
     * @param state the state
     * @param canaryVersion the canary's version
     * @param primaryVersion the primary's version
     * @param step the step
     * @param share the share
     * @param startedAt when it began
     * @param stepStartedAt when the step began
     * @param lastCheck the last check's gates
     * @param decisions the decisions
     */
    public Rollout {
        Objects.requireNonNull(state, "state");
        lastCheck = List.copyOf(lastCheck);
        decisions = List.copyOf(decisions);
    }

    /** Where a rollout stands. */
    public enum State {
        /** No canary version to roll out (the canary alias points at nothing, or at the primary's version). */
        IDLE,
        /** The canary gets its share and is being judged. */
        RUNNING,
        /** Every step passed; the promotion alias moved to the canary's version. */
        PROMOTED,
        /** A gate failed or a step ran out of time; the canary gets no traffic and an alert opened. */
        ABORTED,
        /**
         * Every step passed, but the promotion alias is protected ({@code ModelRegistry.protectAlias}): the
         * analysis filed a request to move it (requester {@code canary-analysis}) and the canary keeps its
         * last share until people approve it (then PROMOTED) or reject it (then ABORTED).
         */
        AWAITING_APPROVAL
    }

    /** How one gate came out. */
    public enum Verdict {
        /** Shown within bounds. */
        PASS,
        /** Shown out of bounds. */
        FAIL,
        /** Not enough data to say either way yet. */
        WAIT
    }

    /**
     * One gate's numbers at one check.
     *
     * @param name {@code error_rate}, {@code accuracy} or {@code latency_p95}
     * @param verdict how it came out
     * @param canary the canary's value (a proportion, or milliseconds), NaN without data
     * @param primary the primary's value, NaN without data
     * @param lower for the tests, the lower confidence bound of (canary − primary), else NaN
     * @param upper for the tests, the upper confidence bound of (canary − primary); for latency the canary's limit in ms
     * @param canarySamples the canary's samples (requests, or predictions with feedback)
     * @param primarySamples the primary's samples
     * @param summary the numbers in one line, for people
     */
    public record Gate(String name, Verdict verdict, double canary, double primary, double lower, double upper,
                       long canarySamples, long primarySamples, String summary) {
    }

    /** What a decision did. */
    public enum Action {
        /** Moved the canary to the next share. */
        ADVANCE,
        /** Moved the promotion alias to the canary's version. */
        PROMOTE,
        /** Sent every request back to the primary and opened an alert. */
        ABORT,
        /** Filed a request to move the protected promotion alias to the canary's version. */
        REQUEST_APPROVAL
    }

    /**
     * One decision, with the numbers it was taken on.
     *
     * @param at when
     * @param action what it did
     * @param canaryVersion the canary's version
     * @param primaryVersion the primary's version
     * @param share the canary's share after it
     * @param reason the decision in one line, with its numbers (also the alias change's reason or the alert's message)
     * @param gates the gates it was taken on
     */
    public record Decision(Instant at, Action action, String canaryVersion, String primaryVersion, double share,
                           String reason, List<Gate> gates) {

        /**
         * Copies the gates.
         *
         * @param at when
         * @param action what
         * @param canaryVersion the canary's version
         * @param primaryVersion the primary's version
         * @param share the share after it
         * @param reason why
         * @param gates the gates
         */
        public Decision {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(action, "action");
            gates = List.copyOf(gates);
        }
    }
}
