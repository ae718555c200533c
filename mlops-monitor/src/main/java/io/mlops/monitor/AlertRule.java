package io.mlops.monitor;

import java.time.Duration;
import java.util.Objects;

/**
 * When to alert: a metric above or below a threshold over a window, with at least a minimum number
 * of samples (so one wrong prediction does not page anyone).
 *
 * <pre>{@code
 * AlertRule rule = AlertRule.when(Metric.P95_LATENCY).above(Duration.ofMillis(200))
 *         .over(Duration.ofMinutes(5)).severity(AlertSeverity.HIGH);
 * }</pre>
 *
 * Immutable: every method returns a new rule.
 *
 * @param name the rule's name (unique in a monitor; by default {@code metric above|below threshold})
 * @param metric the metric
 * @param above {@code true} to alert when the value is above the threshold, {@code false} below
 * @param threshold the threshold (milliseconds for latency metrics)
 * @param window the window the metric is computed over
 * @param severity the alert's severity
 * @param minSamples the samples the metric must rest on before the rule can fire
 * @param modelVersion the version to watch, or null for all versions together
 * @param feature for {@link Metric#FEATURE_PSI}: the feature watched, or null for the largest PSI of any feature
 * @param changeDetector when set, the rule alerts on a change its detector finds in the metric,
 *     observed once per whole window, instead of on the threshold ({@link #changeDetected})
 * @since 0.1.0
 */
public record AlertRule(String name, Metric metric, boolean above, double threshold, Duration window, AlertSeverity severity,
                        long minSamples, String modelVersion, String feature, ChangeDetector changeDetector) {

    /** The default window of a rule. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    /** The default minimum number of samples. */
    public static final long DEFAULT_MIN_SAMPLES = 30;

    /**
     * Validates the components.
     *
     * @param name the name
     * @param metric the metric
     * @param above above or below
     * @param threshold the threshold
     * @param window the window
     * @param severity the severity
     * @param minSamples the minimum samples
     * @param modelVersion the version or null
     * @param feature the feature or null
     * @param changeDetector the change detector or null
     */
    public AlertRule {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(severity, "severity");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite but was " + threshold);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive but was " + window);
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("minSamples must be >= 1 but was " + minSamples);
        }
        if (feature != null && metric != Metric.FEATURE_PSI) {
            throw new IllegalArgumentException("a feature applies to FEATURE_PSI rules only, not " + metric);
        }
        if (changeDetector != null && (window.toMillis() % 60_000 != 0)) {
            throw new IllegalArgumentException("a change-detecting rule observes whole windows of whole minutes, not " + window);
        }
        if (name == null) {
            name = derivedName(metric, above, threshold, modelVersion, feature, changeDetector);
        }
    }

    /**
     * A threshold rule (the form before {@link #changeDetector()} existed).
     *
     * @param name the name
     * @param metric the metric
     * @param above above or below
     * @param threshold the threshold
     * @param window the window
     * @param severity the severity
     * @param minSamples the minimum samples
     * @param modelVersion the version or null
     * @param feature the feature or null
     */
    public AlertRule(String name, Metric metric, boolean above, double threshold, Duration window, AlertSeverity severity,
                     long minSamples, String modelVersion, String feature) {
        this(name, metric, above, threshold, window, severity, minSamples, modelVersion, feature, null);
    }

    /**
     * A rule on every feature (the form before {@link #feature()} existed).
     *
     * @param name the name
     * @param metric the metric
     * @param above above or below
     * @param threshold the threshold
     * @param window the window
     * @param severity the severity
     * @param minSamples the minimum samples
     * @param modelVersion the version or null
     */
    public AlertRule(String name, Metric metric, boolean above, double threshold, Duration window, AlertSeverity severity,
                     long minSamples, String modelVersion) {
        this(name, metric, above, threshold, window, severity, minSamples, modelVersion, null);
    }

    private static String derivedName(Metric metric, boolean above, double threshold, String modelVersion, String feature,
                                      ChangeDetector changeDetector) {
        return metric.name().toLowerCase(java.util.Locale.ROOT) + (feature == null ? "" : " of " + feature)
                + (changeDetector != null ? " change by " + changeDetector : (above ? " above " : " below ") + threshold)
                + (modelVersion == null ? "" : " for " + modelVersion);
    }

    /** The name for a changed rule: a name given with {@link #named} stays, a derived one is derived again. */
    private String givenName() {
        return name.equals(derivedName(metric, above, threshold, modelVersion, feature, changeDetector)) ? null : name;
    }

    /**
     * Starts a rule.
     *
     * @param metric the metric to watch
     * @return a rule that alerts when the metric is above 0 (set the threshold next)
     */
    public static AlertRule when(Metric metric) {
        return new AlertRule(null, metric, true, 0, DEFAULT_WINDOW, AlertSeverity.MEDIUM, DEFAULT_MIN_SAMPLES, null, null, null);
    }

    /**
     * @param value alert when the metric is above this
     * @return the rule
     */
    public AlertRule above(double value) {
        return new AlertRule(givenName(), metric, true, value, window, severity, minSamples, modelVersion, feature, changeDetector);
    }

    /**
     * @param latency alert when the (latency) metric is above this
     * @return the rule
     */
    public AlertRule above(Duration latency) {
        requireLatency();
        return above(latency.toNanos() / 1e6);
    }

    /**
     * @param value alert when the metric is below this
     * @return the rule
     */
    public AlertRule below(double value) {
        return new AlertRule(givenName(), metric, false, value, window, severity, minSamples, modelVersion, feature, changeDetector);
    }

    /**
     * @param latency alert when the (latency) metric is below this
     * @return the rule
     */
    public AlertRule below(Duration latency) {
        requireLatency();
        return below(latency.toNanos() / 1e6);
    }

    private void requireLatency() {
        if (!metric.isLatency()) {
            throw new IllegalArgumentException("a duration threshold needs a latency metric, not " + metric);
        }
    }

    /**
     * @param window the window to compute the metric over
     * @return the rule
     */
    public AlertRule over(Duration window) {
        return new AlertRule(name, metric, above, threshold, window, severity, minSamples, modelVersion, feature, changeDetector);
    }

    /**
     * @param severity the alert's severity
     * @return the rule
     */
    public AlertRule severity(AlertSeverity severity) {
        return new AlertRule(name, metric, above, threshold, window, severity, minSamples, modelVersion, feature, changeDetector);
    }

    /**
     * @param minSamples the samples needed before the rule can fire, {@code >= 1}
     * @return the rule
     */
    public AlertRule minSamples(long minSamples) {
        return new AlertRule(name, metric, above, threshold, window, severity, minSamples, modelVersion, feature, changeDetector);
    }

    /**
     * @param version watch only this model version
     * @return the rule
     */
    public AlertRule forVersion(String version) {
        return new AlertRule(givenName(), metric, above, threshold, window, severity, minSamples, version, feature, changeDetector);
    }

    /**
     * Watches one feature's PSI ({@link Metric#FEATURE_PSI} rules; without it, the largest PSI of any feature).
     *
     * @param feature a column of the monitor's drift reference
     * @return the rule
     */
    public AlertRule forFeature(String feature) {
        return new AlertRule(givenName(), metric, above, threshold, window, severity, minSamples, modelVersion,
                Objects.requireNonNull(feature, "feature"), changeDetector);
    }

    /**
     * @param name the rule's name
     * @return the rule
     */
    public AlertRule named(String name) {
        return new AlertRule(Objects.requireNonNull(name, "name"), metric, above, threshold, window, severity, minSamples,
                modelVersion, feature, changeDetector);
    }

    /**
     * Alerts on a change of the metric instead of a threshold: the metric is observed once per
     * whole {@link #over window} (aligned to the epoch), each observation fed to the detector, and
     * an alert opens when it finds a change for the worse (a rise for metrics where higher is
     * worse, a fall for accuracy, precision, recall, F1 and throughput); it resolves itself at the
     * next observation without one. Windows without {@link #minSamples} samples are skipped. The
     * detector's state is kept in the monitor store, shared by restarts and a fleet's instances.
     * On the drift metrics the observation is the window's drift against the monitor's drift
     * reference (a feature's PSI, the drift share, the drifted features), so a statistic that creeps
     * up hour after hour shows before it crosses any fixed threshold.
     *
     * @param detector the detector, such as {@code ChangeDetector.pageHinkley(0.005, 0.05)}
     * @return the rule
     * @throws IllegalArgumentException for windows that are not whole minutes (whole hours for the
     *     drift metrics, whose input profiles are kept by the hour)
     */
    public AlertRule changeDetected(ChangeDetector detector) {
        Objects.requireNonNull(detector, "detector");
        if (metric.isDrift() && window.toMillis() % 3_600_000 != 0) {
            throw new IllegalArgumentException("the drift metrics are kept by whole hours: a change rule on " + metric
                    + " observes windows of whole hours, not " + window);
        }
        return new AlertRule(givenName(), metric, metric.higherIsWorse(), 0, window, severity, minSamples, modelVersion, feature,
                detector);
    }

    /**
     * @param value a metric value
     * @return whether it breaks the rule (a threshold rule's test; change-detecting rules ask their detector)
     */
    public boolean breached(double value) {
        return above ? value > threshold : value < threshold;
    }
}
