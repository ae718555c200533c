package io.mlops.drift.internal;

import io.mlops.core.ColumnType;
import io.mlops.drift.FeatureDrift;
import io.mlops.drift.Histogram;
import io.mlops.drift.Severity;
import io.mlops.drift.StatTest;

import java.util.Arrays;

/** Mutable results of one column, turned into a {@link FeatureDrift} at the end. */
final class Evaluated {
    final String name;
    final ColumnType type;
    final FeatureDrift.Status status;
    final StatTest test;
    final double referenceMissingShare;
    Double statistic;
    Double pValue;
    Double adjusted;
    Double psi;
    Double currentMissingShare;
    boolean missingShareDrift;
    FeatureDrift.ColumnStats stats;
    Histogram histogram;
    io.mlops.drift.CategoryShares shares;

    Evaluated(String name, ColumnType type, FeatureDrift.Status status, StatTest test, double referenceMissingShare) {
        this.name = name;
        this.type = type;
        this.status = status;
        this.test = test;
        this.referenceMissingShare = referenceMissingShare;
    }

    /** The test picks its own statistic and p-value from the column's statistics. */
    void decide(StatTest test) {
        statistic = test.statistic(stats, psi);
        pValue = test.pValue(stats);
    }

    FeatureDrift finish(double significance, double distanceThreshold) {
        FeatureDrift.Missing missing = new FeatureDrift.Missing(referenceMissingShare, currentMissingShare, missingShareDrift);
        if (status != FeatureDrift.Status.EVALUATED) {
            boolean drift = status != FeatureDrift.Status.MISSING && missingShareDrift;
            return new FeatureDrift(name, type, status, drift, null, missing, null);
        }
        double threshold;
        boolean byTest;
        if (test.isPValueTest()) {
            threshold = significance;
            byTest = adjusted < significance;
        } else {
            threshold = test == StatTest.PSI ? DefaultDriftDetector.PSI_THRESHOLD : distanceThreshold;
            byTest = statistic > threshold;
        }
        FeatureDrift.Decision decision = new FeatureDrift.Decision(test, statistic, pValue, adjusted, threshold, psi,
                Severity.ofPsi(psi));
        return new FeatureDrift(name, type, status, byTest || missingShareDrift, decision, missing, stats);
    }

    /** Equal-width bins over the pooled range; proportions per side. */
    static Histogram histogram(double[] ref, double[] cur) {
        double lo = Math.min(ref[0], cur[0]);
        double hi = Math.max(ref[ref.length - 1], cur[cur.length - 1]);
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        double[] edges = new double[DefaultDriftDetector.HISTOGRAM_BINS + 1];
        for (int i = 0; i <= DefaultDriftDetector.HISTOGRAM_BINS; i++) {
            edges[i] = lo + (hi - lo) * i / DefaultDriftDetector.HISTOGRAM_BINS;
        }
        edges[DefaultDriftDetector.HISTOGRAM_BINS] = hi;
        double[] inner = Arrays.copyOfRange(edges, 1, DefaultDriftDetector.HISTOGRAM_BINS);
        // bins [e_i, e_{i+1}), last one closed: count values below each inner edge
        return new Histogram(edges, lowerProportions(ref, inner), lowerProportions(cur, inner));
    }

    private static double[] lowerProportions(double[] sorted, double[] innerEdges) {
        double[] p = new double[innerEdges.length + 1];
        int start = 0;
        for (int b = 0; b < innerEdges.length; b++) {
            int end = Arrays.binarySearch(sorted, innerEdges[b]);
            if (end < 0) {
                end = -end - 1;
            } else {
                while (end > 0 && sorted[end - 1] == innerEdges[b]) {
                    end--;
                }
            }
            end = Math.max(end, start);
            p[b] = (end - start) / (double) sorted.length;
            start = end;
        }
        p[innerEdges.length] = (sorted.length - start) / (double) sorted.length;
        return p;
    }
}
