package io.mlops.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.core.ColumnType;
import io.mlops.drift.internal.HtmlReport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one {@link DriftDetector#detect} call. Immutable and thread-safe.
 *
 * @param timestamp when the detection ran
 * @param referenceRows rows in the reference
 * @param currentRows rows in the current data
 * @param features every reference column's drift, in reference column order; unmodifiable
 * @param newColumns current columns absent from the reference
 * @param significance the p-value tests' significance level
 * @param correction the multiple-testing correction applied
 * @param driftShareThreshold the share of drifted features at which the dataset counts as drifted
 *     (0: any drifted feature, as the reference)
 * @param histograms per numeric feature, reference and current proportions over common bins
 * @param categoryShares per tested categorical feature, the largest categories' proportions on both sides
 * @param roles the columns of {@code features} that are the target or the prediction (every other is a
 *     feature); they are reported apart ({@link #targetDrift()}, {@link #predictionDrift()}) and not
 *     counted in {@link #driftShare()}, {@link #driftedFeatures()} or {@link #summary()}
 * @param referenceRankErrors the numeric columns whose reference quantiles were estimated by a sketch
 *     (an out-of-core profile of a large source; see {@link ReferenceProfile#rankError}), with the
 *     sketch's normalised rank error bound: their Kolmogorov-Smirnov statistics and Wasserstein
 *     distances are approximate to that degree; empty when every reference statistic is exact
 * @param currentRankErrors the same for the current side, when it was a sketched profile
 *     ({@link DriftDetector#detect(ReferenceProfile)}, {@code SparkDrift}); empty for current data
 * @param multivariate the multivariate method's verdict ({@link DriftDetector.Builder#multivariate}),
 *     or null without one; it does not change {@link #driftDetected()}
 * @since 0.1.0
 */
public record DriftReport(Instant timestamp, long referenceRows, long currentRows, Map<String, FeatureDrift> features,
                          List<String> newColumns, double significance, Correction correction, double driftShareThreshold,
                          Map<String, Histogram> histograms, Map<String, CategoryShares> categoryShares,
                          Map<String, ColumnRole> roles, Map<String, Double> referenceRankErrors,
                          Map<String, Double> currentRankErrors, MultivariateDrift.Result multivariate) {

    /**
     * Copies the collections.
     *
     * @param timestamp when
     * @param referenceRows reference rows
     * @param currentRows current rows
     * @param features the features' drift
     * @param newColumns new columns
     * @param significance the significance level
     * @param correction the correction
     * @param driftShareThreshold the dataset threshold
     * @param histograms the numeric histograms
     * @param categoryShares the categorical proportions
     * @param roles the target and prediction columns
     * @param referenceRankErrors the sketched reference columns' rank errors
     * @param currentRankErrors the sketched current columns' rank errors
     * @param multivariate the multivariate verdict, or null
     */
    public DriftReport {
        Objects.requireNonNull(timestamp, "timestamp");
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        newColumns = List.copyOf(newColumns);
        histograms = Collections.unmodifiableMap(new LinkedHashMap<>(histograms));
        categoryShares = Collections.unmodifiableMap(new LinkedHashMap<>(categoryShares));
        roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
        referenceRankErrors = Collections.unmodifiableMap(new LinkedHashMap<>(referenceRankErrors));
        currentRankErrors = Collections.unmodifiableMap(new LinkedHashMap<>(currentRankErrors));
    }

    /**
     * A report without a multivariate verdict (the form before multivariate methods).
     *
     * @param timestamp when
     * @param referenceRows reference rows
     * @param currentRows current rows
     * @param features the features' drift
     * @param newColumns new columns
     * @param significance the significance level
     * @param correction the correction
     * @param driftShareThreshold the dataset threshold
     * @param histograms the numeric histograms
     * @param categoryShares the categorical proportions
     * @param roles the target and prediction columns
     * @param referenceRankErrors the sketched reference columns' rank errors
     * @param currentRankErrors the sketched current columns' rank errors
     */
    public DriftReport(Instant timestamp, long referenceRows, long currentRows, Map<String, FeatureDrift> features,
                       List<String> newColumns, double significance, Correction correction, double driftShareThreshold,
                       Map<String, Histogram> histograms, Map<String, CategoryShares> categoryShares,
                       Map<String, ColumnRole> roles, Map<String, Double> referenceRankErrors,
                       Map<String, Double> currentRankErrors) {
        this(timestamp, referenceRows, currentRows, features, newColumns, significance, correction, driftShareThreshold,
                histograms, categoryShares, roles, referenceRankErrors, currentRankErrors, null);
    }

    /**
     * A report whose current side is data (the form before profiles could be compared).
     *
     * @param timestamp when
     * @param referenceRows reference rows
     * @param currentRows current rows
     * @param features the features' drift
     * @param newColumns new columns
     * @param significance the significance level
     * @param correction the correction
     * @param driftShareThreshold the dataset threshold
     * @param histograms the numeric histograms
     * @param categoryShares the categorical proportions
     * @param roles the target and prediction columns
     * @param referenceRankErrors the sketched reference columns' rank errors
     */
    public DriftReport(Instant timestamp, long referenceRows, long currentRows, Map<String, FeatureDrift> features,
                       List<String> newColumns, double significance, Correction correction, double driftShareThreshold,
                       Map<String, Histogram> histograms, Map<String, CategoryShares> categoryShares,
                       Map<String, ColumnRole> roles, Map<String, Double> referenceRankErrors) {
        this(timestamp, referenceRows, currentRows, features, newColumns, significance, correction, driftShareThreshold,
                histograms, categoryShares, roles, referenceRankErrors, Map.of());
    }

    /**
     * A report whose reference statistics are all exact (the form before out-of-core profiles).
     *
     * @param timestamp when
     * @param referenceRows reference rows
     * @param currentRows current rows
     * @param features the features' drift
     * @param newColumns new columns
     * @param significance the significance level
     * @param correction the correction
     * @param driftShareThreshold the dataset threshold
     * @param histograms the numeric histograms
     * @param categoryShares the categorical proportions
     * @param roles the target and prediction columns
     */
    public DriftReport(Instant timestamp, long referenceRows, long currentRows, Map<String, FeatureDrift> features,
                       List<String> newColumns, double significance, Correction correction, double driftShareThreshold,
                       Map<String, Histogram> histograms, Map<String, CategoryShares> categoryShares,
                       Map<String, ColumnRole> roles) {
        this(timestamp, referenceRows, currentRows, features, newColumns, significance, correction, driftShareThreshold,
                histograms, categoryShares, roles, Map.of(), Map.of());
    }

    /**
     * A report whose columns are all features (the form before column roles existed).
     *
     * @param timestamp when
     * @param referenceRows reference rows
     * @param currentRows current rows
     * @param features the features' drift
     * @param newColumns new columns
     * @param significance the significance level
     * @param correction the correction
     * @param driftShareThreshold the dataset threshold
     * @param histograms the numeric histograms
     * @param categoryShares the categorical proportions
     */
    public DriftReport(Instant timestamp, long referenceRows, long currentRows, Map<String, FeatureDrift> features,
                       List<String> newColumns, double significance, Correction correction, double driftShareThreshold,
                       Map<String, Histogram> histograms, Map<String, CategoryShares> categoryShares) {
        this(timestamp, referenceRows, currentRows, features, newColumns, significance, correction, driftShareThreshold,
                histograms, categoryShares, Map.of());
    }

    /**
     * Returns what a column is: {@link ColumnRole#TARGET}, {@link ColumnRole#PREDICTION}, or else a feature.
     *
     * @param column a column of {@link #features()}
     * @return its role
     */
    public ColumnRole role(String column) {
        return roles.getOrDefault(column, ColumnRole.FEATURE);
    }

    /**
     * Returns the drift of the target column, when the detector was given one ({@code target(column)}).
     *
     * @return the target's drift, or empty
     */
    public java.util.Optional<FeatureDrift> targetDrift() {
        return byRole(ColumnRole.TARGET);
    }

    /**
     * Returns the drift of the prediction column, when the detector was given one ({@code prediction(column)}).
     *
     * @return the prediction's drift, or empty
     */
    public java.util.Optional<FeatureDrift> predictionDrift() {
        return byRole(ColumnRole.PREDICTION);
    }

    private java.util.Optional<FeatureDrift> byRole(ColumnRole role) {
        for (Map.Entry<String, ColumnRole> e : roles.entrySet()) {
            if (e.getValue() == role && features.containsKey(e.getKey())) {
                return java.util.Optional.of(features.get(e.getKey()));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * A report without categorical proportions (the form before they existed).
     *
     * @param timestamp when
     * @param referenceRows reference rows
     * @param currentRows current rows
     * @param features the features' drift
     * @param newColumns new columns
     * @param significance the significance level
     * @param correction the correction
     * @param driftShareThreshold the dataset threshold
     * @param histograms the numeric histograms
     */
    public DriftReport(Instant timestamp, long referenceRows, long currentRows, Map<String, FeatureDrift> features,
                       List<String> newColumns, double significance, Correction correction, double driftShareThreshold,
                       Map<String, Histogram> histograms) {
        this(timestamp, referenceRows, currentRows, features, newColumns, significance, correction, driftShareThreshold,
                histograms, Map.of(), Map.of());
    }

    /**
     * @return the features present in both datasets (evaluated or not testable)
     */
    private List<FeatureDrift> present() {
        List<FeatureDrift> out = new ArrayList<>();
        for (FeatureDrift f : features.values()) {
            if (f.status() != FeatureDrift.Status.MISSING && role(f.feature()) == ColumnRole.FEATURE) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * @return the names of the drifted features, in column order
     */
    public List<String> driftedFeatures() {
        List<String> out = new ArrayList<>();
        for (FeatureDrift f : features.values()) {
            if (f.driftDetected() && role(f.feature()) == ColumnRole.FEATURE) {
                out.add(f.feature());
            }
        }
        return out;
    }

    /**
     * @return drifted features over features present in both datasets (0 when there are none)
     */
    public double driftShare() {
        int total = present().size();
        return total == 0 ? 0 : driftedFeatures().size() / (double) total;
    }

    /**
     * @return whether the dataset drifted: at least one feature did, and the share reached the threshold
     */
    public boolean driftDetected() {
        return !driftedFeatures().isEmpty() && driftShare() >= driftShareThreshold;
    }

    /**
     * @return the totals, as the reference summarises them
     */
    public DriftSummary summary() {
        List<String> numerical = new ArrayList<>();
        List<String> categorical = new ArrayList<>();
        List<String> high = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (FeatureDrift f : features.values()) {
            if (role(f.feature()) != ColumnRole.FEATURE) {
                continue; // reported apart
            }
            if (f.status() == FeatureDrift.Status.MISSING) {
                missing.add(f.feature());
                continue;
            }
            if (f.driftDetected()) {
                (f.type() == ColumnType.NUMERIC ? numerical : categorical).add(f.feature());
            }
            if (f.decision() != null && f.decision().severity() == Severity.HIGH) {
                high.add(f.feature());
            }
        }
        int total = present().size();
        int drifted = numerical.size() + categorical.size();
        return new DriftSummary(total, drifted, total == 0 ? 0 : 100.0 * drifted / total, numerical, categorical, high,
                missing, newColumns);
    }

    /**
     * The report as indented JSON, in snake_case like every JSON the library shows people and programs:
     * {@code timestamp}, {@code drift_detected}, {@code drift_share}, {@code summary} (the
     * {@link DriftSummary} fields), {@code features} (name to the {@link FeatureDrift} fields, nested
     * as the record is: {@code decision}, {@code missing}, {@code stats}; the target and prediction
     * columns too), {@code roles} (the target and prediction columns), {@code target_drift} and
     * {@code prediction_drift} (the same fields, or null), {@code new_columns},
     * {@code significance}, {@code correction}, {@code drift_share_threshold}, {@code reference_rows},
     * {@code current_rows}, {@code reference_rank_errors} and {@code current_rank_errors} (column to rank error, empty when exact),
     * {@code multivariate} ({@code method}, {@code value}, {@code reference_value}, {@code lower}, {@code upper},
     * {@code rows}, {@code drift_detected}, or null). These names are stable.
     * Values that do not apply are {@code null}.
     *
     * @return the JSON text
     */
    public String toJson() {
        ObjectNode root = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        root.put("timestamp", timestamp.toString());
        root.put("drift_detected", driftDetected());
        root.put("drift_share", driftShare());
        root.set("summary", io.mlops.core.Json.reportTree(summary()));
        root.set("features", io.mlops.core.Json.reportTree(features));
        root.set("roles", io.mlops.core.Json.reportTree(roles));
        root.set("target_drift", io.mlops.core.Json.reportTree(targetDrift().orElse(null)));
        root.set("prediction_drift", io.mlops.core.Json.reportTree(predictionDrift().orElse(null)));
        root.set("new_columns", io.mlops.core.Json.reportTree(newColumns));
        root.put("significance", significance);
        root.put("correction", correction.name());
        root.put("drift_share_threshold", driftShareThreshold);
        root.put("reference_rows", referenceRows);
        root.put("current_rows", currentRows);
        root.set("reference_rank_errors", io.mlops.core.Json.reportTree(referenceRankErrors));
        root.set("current_rank_errors", io.mlops.core.Json.reportTree(currentRankErrors));
        root.set("multivariate", io.mlops.core.Json.reportTree(multivariate));
        try {
            return io.mlops.core.Json.reportWriter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report of plain values always serialises", e);
        }
    }

    /**
     * The report as one self-contained HTML page (inline SVG, no script, no network): drifted share,
     * severity counts, PSI per feature with the 0.1 and 0.25 lines, p-values per feature with the
     * significance line, a table of every feature, and reference-versus-current histograms of the
     * drifted numeric features.
     *
     * @return the HTML text
     */
    public String toHtml() {
        return HtmlReport.render(this);
    }
}
