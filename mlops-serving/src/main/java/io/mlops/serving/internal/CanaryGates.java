package io.mlops.serving.internal;

import io.mlops.monitor.Metric;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.serving.CanaryAnalysis;
import io.mlops.serving.Rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Judges a canary's metrics against the primary's, gate by gate (see {@link CanaryAnalysis}). */
final class CanaryGates {

    static final String ERROR_RATE = "error_rate";
    static final String ACCURACY = "accuracy";
    static final String LATENCY = "latency_p95";
    static final String PREDICTION_DRIFT = "prediction_drift";

    private CanaryGates() {
    }

    /** Every configured gate's verdict on the two versions' metrics over the same window. */
    static List<Rollout.Gate> judge(CanaryAnalysis a, MetricsSnapshot canary, MetricsSnapshot primary,
                                    PredictionTally canaryPredictions, PredictionTally primaryPredictions) {
        List<Rollout.Gate> gates = new ArrayList<>(3);
        long nc = canary.counts().requests();
        long np = primary.counts().requests();
        boolean enough = nc >= a.minRequests() && np >= a.minRequests();
        gates.add(proportion(ERROR_RATE, a, canary.counts().errors(), nc, primary.counts().errors(), np, enough,
                a.errorRateMargin(), true));
        if (a.accuracyMargin() != null) {
            long fc = canary.counts().withFeedback();
            long fp = primary.counts().withFeedback();
            Double ac = canary.quality().accuracy();
            Double ap = primary.quality().accuracy();
            boolean labelled = fc >= a.minFeedback() && fp >= a.minFeedback() && ac != null && ap != null;
            // accuracy as the share of wrong answers, so that the same "canary higher is worse" test applies
            long wc = labelled ? Math.round((1 - ac) * fc) : 0;
            long wp = labelled ? Math.round((1 - ap) * fp) : 0;
            gates.add(proportion(ACCURACY, a, wc, fc, wp, fp, labelled, a.accuracyMargin(), false));
        }
        gates.add(latency(a, canary, primary, enough));
        if (a.maxPredictionPsi() != null) {
            gates.add(predictionDrift(a, canaryPredictions, primaryPredictions));
        }
        return gates;
    }

    private static Rollout.Gate predictionDrift(CanaryAnalysis a, PredictionTally canary, PredictionTally primary) {
        long nc = canary.total();
        long np = primary.total();
        double psi = nc >= a.minRequests() && np >= a.minRequests() ? primary.psiOf(canary) : Double.NaN;
        if (Double.isNaN(psi)) {
            return new Rollout.Gate(PREDICTION_DRIFT, Rollout.Verdict.WAIT, Double.NaN, Double.NaN, Double.NaN, a.maxPredictionPsi(),
                    nc, np, PREDICTION_DRIFT + ": waiting for " + a.minRequests() + " predictions per version (canary " + nc
                            + ", primary " + np + ")");
        }
        Rollout.Verdict v = psi <= a.maxPredictionPsi() ? Rollout.Verdict.PASS : Rollout.Verdict.FAIL;
        String summary = String.format(Locale.ROOT, "%s PSI %.4f of the canary's predictions against the primary's (n %d / %d);"
                + " limit %.4f", PREDICTION_DRIFT, psi, nc, np, a.maxPredictionPsi());
        return new Rollout.Gate(PREDICTION_DRIFT, v, psi, 0, Double.NaN, a.maxPredictionPsi(), nc, np, summary);
    }

    /**
     * The non-inferiority test on (canary − primary) of a rate where higher is worse: PASS when
     * the upper bound is below the margin, FAIL when the lower bound is above it.
     */
    private static Rollout.Gate proportion(String name, CanaryAnalysis a, long xc, long nc, long xp, long np, boolean enough,
                                           double margin, boolean asRate) {
        double rc = nc == 0 ? Double.NaN : xc / (double) nc;
        double rp = np == 0 ? Double.NaN : xp / (double) np;
        double shownC = asRate ? rc : 1 - rc;
        double shownP = asRate ? rp : 1 - rp;
        if (!enough) {
            return new Rollout.Gate(name, Rollout.Verdict.WAIT, shownC, shownP, Double.NaN, Double.NaN, nc, np,
                    String.format(Locale.ROOT, "%s: waiting for %d %s per version (canary %d, primary %d)", name,
                            asRate ? a.minRequests() : a.minFeedback(), asRate ? "requests" : "predictions with feedback",
                            nc, np));
        }
        boolean anytime = a.method() == CanaryAnalysis.Method.ANYTIME_VALID;
        NonInferiority.Bounds b = anytime ? AnytimeBounds.difference(xc, nc, xp, np, a.confidence(), margin)
                : NonInferiority.difference(xc, nc, xp, np, a.confidence());
        Rollout.Verdict v = b.upper() < margin ? Rollout.Verdict.PASS
                : b.lower() > margin ? Rollout.Verdict.FAIL : Rollout.Verdict.WAIT;
        String what = asRate ? "canary - primary" : "primary - canary";
        String summary = String.format(Locale.ROOT,
                "%s %.4f vs %.4f (n %d / %d); %.0f%% %sbounds of %s [%.4f, %.4f] %s margin %.4f", name, shownC, shownP, nc,
                np, a.confidence() * 100, anytime ? "anytime-valid " : "", what, b.lower(), b.upper(),
                v == Rollout.Verdict.PASS ? "below" : v == Rollout.Verdict.FAIL ? "above" : "straddle the", margin);
        return new Rollout.Gate(name, v, shownC, shownP, b.lower(), b.upper(), nc, np, summary);
    }

    private static Rollout.Gate latency(CanaryAnalysis a, MetricsSnapshot canary, MetricsSnapshot primary, boolean enough) {
        Double pc = canary.value(Metric.P95_LATENCY);
        Double pp = primary.value(Metric.P95_LATENCY);
        long nc = canary.counts().predictions();
        long np = primary.counts().predictions();
        if (!enough || pc == null || pp == null) {
            return new Rollout.Gate(LATENCY, Rollout.Verdict.WAIT, pc == null ? Double.NaN : pc, pp == null ? Double.NaN : pp,
                    Double.NaN, Double.NaN, nc, np, LATENCY + ": waiting for " + a.minRequests() + " requests per version");
        }
        double limit = pp * a.latencyRatio() + a.latencySlack().toNanos() / 1e6;
        Rollout.Verdict v = pc <= limit ? Rollout.Verdict.PASS : Rollout.Verdict.FAIL;
        String summary = String.format(Locale.ROOT, "%s %.3f ms vs %.3f ms (n %d / %d); limit %.3f ms (%.2fx + %d ms)",
                LATENCY, pc, pp, nc, np, limit, a.latencyRatio(), a.latencySlack().toMillis());
        return new Rollout.Gate(LATENCY, v, pc, pp, Double.NaN, limit, nc, np, summary);
    }
}
