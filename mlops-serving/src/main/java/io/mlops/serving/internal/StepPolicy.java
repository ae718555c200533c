package io.mlops.serving.internal;

import io.mlops.serving.CanaryAnalysis;
import io.mlops.serving.Rollout;

import java.time.Duration;
import java.util.List;

/**
 * What a rollout does after a check, from the gates' verdicts and where the step stands: a pure
 * function, so that the controller and the statistical simulations decide alike.
 */
final class StepPolicy {

    /** The next move. */
    enum Next {
        /** Keep the share; check again. */
        WAIT,
        /** Every gate passed and the step lasted long enough: the next share, or promotion after the last. */
        ADVANCE,
        /** A gate failed. */
        ABORT_FAILED,
        /** The step reached its horizon (canary requests, or time) without every gate passing. */
        ABORT_INCONCLUSIVE
    }

    private StepPolicy() {
    }

    /**
     * @param a the analysis
     * @param gates this check's verdicts
     * @param inStep how long the step has lasted
     * @param canaryRequestsInStep the canary's requests since the step began
     * @return the next move
     */
    static Next next(CanaryAnalysis a, List<Rollout.Gate> gates, Duration inStep, long canaryRequestsInStep) {
        if (gates.stream().anyMatch(g -> g.verdict() == Rollout.Verdict.FAIL)) {
            return Next.ABORT_FAILED;
        }
        boolean passed = gates.stream().allMatch(g -> g.verdict() == Rollout.Verdict.PASS);
        if (passed && inStep.compareTo(a.stepDuration()) >= 0) {
            return Next.ADVANCE;
        }
        if (!passed && (canaryRequestsInStep >= a.maxStepRequests() || inStep.compareTo(a.maxStepDuration()) >= 0)) {
            return Next.ABORT_INCONCLUSIVE;
        }
        return Next.WAIT;
    }
}
