package io.mlops.monitor.internal;

import io.mlops.monitor.Alert;
import io.mlops.monitor.AlertRule;
import io.mlops.monitor.FeedbackPolicy;
import io.mlops.monitor.QueuePolicy;
import io.mlops.monitor.Task;
import io.mlops.monitor.spi.MonitorStore;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@link io.mlops.monitor.ModelMonitor.Builder} hands over, one record per concern.
 *
 * @param store where records go
 * @param queue the write-behind queue
 * @param labels how outputs and feedback are compared
 * @param alerting the rules and who hears of them
 * @param horizon how far back the in-memory aggregates reach
 * @param clock the time source
 * @param instance this instance's name in a fleet sharing the store, or null for a monitor of its own
 * @param profileInputs whether logged inputs (and outputs) are sketched for {@code drift(window, profile)}
 * @param predictionColumn the reference column the logged outputs are compared with
 * @param liveDrift how live drift is judged
 * @param estimation what is estimated beyond the counts: performance without labels, multivariate drift
 */
public record MonitorSettings(MonitorStore store, WriteQueue queue, Labelling labels, Alerting alerting, Duration horizon,
                              Clock clock, String instance, boolean profileInputs, String predictionColumn,
                              io.mlops.monitor.LiveDrift liveDrift, Estimation estimation) {

    /**
     * What is estimated beyond the counts.
     *
     * @param performance the binary performance estimator that calibrates each logged probability, or null
     * @param multivariate the fitted multivariate drift method over sampled input rows, or null
     * @param multivariateRows the input rows sampled per hour for it
     */
    public record Estimation(io.mlops.monitor.PerformanceEstimator performance, io.mlops.drift.MultivariateDrift multivariate,
                             int multivariateRows) {

        /** Nothing estimated. */
        public static final Estimation NONE = new Estimation(null, null, 0);
    }

    /**
     * The write-behind queue.
     *
     * @param capacity the queue's capacity
     * @param policy what a full queue does
     * @param stallTimeout how long the store may fail without a pause before {@code flush()} gives up
     */
    public record WriteQueue(int capacity, QueuePolicy policy, Duration stallTimeout) {
    }

    /**
     * How outputs and feedback are compared.
     *
     * @param task classification or regression
     * @param positiveLabel the positive label of binary precision and recall
     * @param feedbackPolicy what feedback for an unknown id does
     */
    public record Labelling(Task task, Object positiveLabel, FeedbackPolicy feedbackPolicy) {
    }

    /**
     * The alert rules and who hears of them.
     *
     * @param rules the alert rules, with distinct names
     * @param listeners called once per alert opening
     * @param checkInterval how often the rules are evaluated
     */
    public record Alerting(List<AlertRule> rules, List<Consumer<Alert>> listeners, Duration checkInterval,
                           io.mlops.drift.ReferenceProfile driftReference) {

        /**
         * Copies the lists and checks the names.
         *
         * @param rules the alert rules
         * @param listeners the listeners
         * @param checkInterval the interval
         * @param driftReference the training profile that DRIFT_SHARE rules compare with, or null
         * @throws IllegalArgumentException when two rules share a name, or a DRIFT_SHARE rule has no reference
         */
        public Alerting {
            rules = List.copyOf(rules);
            listeners = List.copyOf(listeners);
            Map<String, AlertRule> names = new HashMap<>();
            for (AlertRule r : rules) {
                if (names.put(r.name(), r) != null) {
                    throw new IllegalArgumentException("two alert rules are named '" + r.name() + "'");
                }
                if (r.metric().isDrift() && driftReference == null) {
                    throw new IllegalArgumentException("rule '" + r.name() + "' watches " + r.metric() + ": give the training"
                            + " profile with driftReference(profile)");
                }
                if (r.feature() != null && driftReference != null && !driftReference.columns().contains(r.feature())) {
                    throw new IllegalArgumentException("rule '" + r.name() + "' watches feature '" + r.feature()
                            + "', which the drift reference lacks (columns: " + driftReference.columns() + ")");
                }
            }
        }
    }
}
