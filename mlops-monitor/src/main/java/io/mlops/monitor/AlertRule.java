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
 * @since 0.1.0
 */
public record AlertRule(String name, Metric metric, boolean above, double threshold, Duration window, AlertSeverity severity,
                        long minSamples, String modelVersion, String feature) {

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
        if (name == null) {
            name = derivedName(metric, above, threshold, modelVersion, feature);
        }
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

    private static String derivedName(Metric metric, boolean above, double threshold, String modelVersion, String feature) {
        return metric.name().toLowerCase(java.util.Locale.ROOT) + (feature == null ? "" : " of " + feature)
                + (above ? " above " : " below ") + threshold + (modelVersion == null ? "" : " for " + modelVersion);
    }

    /** The name for a changed rule: a name given with {@link #named} stays, a derived one is derived again. */
    private String givenName() {
        return name.equals(derivedName(metric, above, threshold, modelVersion, feature)) ? null : name;
    }

    /**
     * Starts a rule.
     *
     * @param metric the metric to watch
     * @return a rule that alerts when the metric is above 0 (set the threshold next)
     */
    public static AlertRule when(Metric metric) {
        return new AlertRule(null, metric, true, 0, DEFAULT_WINDOW, AlertSeverity.MEDIUM, DEFAULT_MIN_SAMPLES, null, null);
    }

    /**
     * @param value alert when the metric is above this
     * @return the rule
     */
    public AlertRule above(double value) {
        return new AlertRule(givenName(), metric, true, value, window, severity, minSamples, modelVersion, feature);
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
        return new AlertRule(givenName(), metric, false, value, window, severity, minSamples, modelVersion, feature);
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
        return new AlertRule(name, metric, above, threshold, window, severity, minSamples, modelVersion, feature);
    }

    /**
     * @param severity the alert's severity
     * @return the rule
     */
    public AlertRule severity(AlertSeverity severity) {
        return new AlertRule(name, metric, above, threshold, window, severity, minSamples, modelVersion, feature);
    }

    /**
     * @param minSamples the samples needed before the rule can fire, {@code >= 1}
     * @return the rule
     */
    public AlertRule minSamples(long minSamples) {
        return new AlertRule(name, metric, above, threshold, window, severity, minSamples, modelVersion, feature);
    }

    /**
     * @param version watch only this model version
     * @return the rule
     */
    public AlertRule forVersion(String version) {
        return new AlertRule(givenName(), metric, above, threshold, window, severity, minSamples, version, feature);
    }

    /**
     * Watches one feature's PSI ({@link Metric#FEATURE_PSI} rules; without it, the largest PSI of any feature).
     *
     * @param feature a column of the monitor's drift reference
     * @return the rule
     */
    public AlertRule forFeature(String feature) {
        return new AlertRule(givenName(), metric, above, threshold, window, severity, minSamples, modelVersion,
                Objects.requireNonNull(feature, "feature"));
    }

    /**
     * @param name the rule's name
     * @return the rule
     */
    public AlertRule named(String name) {
        return new AlertRule(Objects.requireNonNull(name, "name"), metric, above, threshold, window, severity, minSamples,
                modelVersion, feature);
    }

    /**
     * @param value a metric value
     * @return whether it breaks the rule
     */
    public boolean breached(double value) {
        return above ? value > threshold : value < threshold;
    }
}
