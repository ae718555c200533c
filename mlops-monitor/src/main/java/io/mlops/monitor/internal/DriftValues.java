package io.mlops.monitor.internal;

import io.mlops.drift.ColumnRole;
import io.mlops.drift.DriftReport;
import io.mlops.drift.FeatureDrift;
import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.AlertRule;
import io.mlops.monitor.LiveDrift;
import io.mlops.monitor.Metric;

/** A drift rule's value read from a drift report, and the rows a PSI rule waits for. */
final class DriftValues {

    private DriftValues() {
    }

    /** The rule's drift metric in the report: the share, the number of drifted features, or a PSI. */
    static Double of(DriftReport report, AlertRule rule) {
        return switch (rule.metric()) {
            case DRIFT_SHARE -> report.driftShare();
            case DRIFTED_FEATURES -> (double) report.driftedFeatures().size();
            case MULTIVARIATE_DRIFT -> report.multivariate() == null ? null : report.multivariate().driftDetected() ? 1.0 : 0.0;
            default -> psi(report, rule);
        };
    }

    /** A feature's PSI (the rule's, or the largest of the features), or null when there is none. */
    private static Double psi(DriftReport report, AlertRule rule) {
        Double worst = null;
        for (FeatureDrift f : report.features().values()) {
            boolean watched = rule.feature() != null ? f.feature().equals(rule.feature())
                    : report.role(f.feature()) == ColumnRole.FEATURE;
            Double psi = f.decision() == null ? null : f.decision().psi();
            if (watched && psi != null && (worst == null || psi > worst)) {
                worst = psi;
            }
        }
        return worst;
    }

    /**
     * The rows a PSI threshold rule waits for ({@link LiveDrift#psiMinRows}); 0 for other rules. A
     * change rule on PSI needs no more than its {@code minSamples}: PSI's small-sample bias is the
     * same in windows of the same size, and a change detector compares the windows with each other.
     */
    static long psiMinRows(AlertRule rule, ReferenceProfile reference) {
        if (rule.metric() != Metric.FEATURE_PSI || rule.changeDetector() != null || !(rule.threshold() > 0)) {
            return 0;
        }
        return LiveDrift.psiMinRows(rule.threshold(), Math.max(2, reference.psiBins()));
    }
}
