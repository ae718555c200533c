package io.mlops.drift.internal;

import io.mlops.drift.Correction;
import io.mlops.drift.DefaultTests;
import io.mlops.drift.StatTest;

import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What {@link io.mlops.drift.DriftDetector.Builder} hands over, one record per concern.
 *
 * @param thresholds when a feature, and the dataset, count as drifted
 * @param tests which test each column gets
 * @param profiling how the reference is profiled
 * @param historySize reports kept
 * @param executor runs the per-column work
 * @param roles columns that are not plain features (target, prediction, ignored)
 * @param multivariate the multivariate method, or null
 */
public record DriftSettings(Thresholds thresholds, TestChoice tests, Profiling profiling, int historySize,
                            Executor executor, Map<String, io.mlops.drift.ColumnRole> roles,
                            io.mlops.drift.Multivariate multivariate) {

    /**
     * Copies the roles.
     *
     * @param thresholds when a feature, and the dataset, count as drifted
     * @param tests which test each column gets
     * @param profiling how the reference is profiled
     * @param historySize reports kept
     * @param executor runs the per-column work
     * @param roles columns that are not plain features
     * @param multivariate the multivariate method, or null
     */
    public DriftSettings {
        roles = Map.copyOf(roles);
    }

    /**
     * When a feature, and the dataset, count as drifted.
     *
     * @param significance the p-value tests' level
     * @param distance the distance tests' threshold
     * @param missingShare the change of the missing share that is drift of its own
     * @param driftShare the share of drifted features above which the dataset drifted
     * @param correction the multiple-testing correction of p-values
     */
    public record Thresholds(double significance, double distance, double missingShare, double driftShare,
                             Correction correction) {
    }

    /**
     * Which test each column gets.
     *
     * @param defaults how columns without an explicit test choose one
     * @param explicit tests chosen per column
     */
    public record TestChoice(DefaultTests defaults, Map<String, StatTest> explicit) {

        /**
         * Copies the map.
         *
         * @param defaults the default choice
         * @param explicit tests per column
         */
        public TestChoice {
            explicit = Map.copyOf(explicit);
        }
    }

    /**
     * How the reference is profiled.
     *
     * @param psiBins PSI bins from the reference's quantiles
     * @param retainSorted whether the profile keeps sorted copies of the reference columns
     */
    public record Profiling(int psiBins, boolean retainSorted) {
    }
}
