package io.mlops.drift;

import java.util.List;

/**
 * A report's totals, as the reference summarises them.
 *
 * @param totalFeatures features present in both datasets
 * @param driftedFeatures how many of them drifted
 * @param driftPercentage {@code 100 * driftedFeatures / totalFeatures}
 * @param numericalDrifts drifted numeric features, in column order
 * @param categoricalDrifts drifted categorical features, in column order
 * @param highSeverityDrifts features whose PSI is above 0.25
 * @param missingColumns reference columns absent from the current data
 * @param newColumns current columns absent from the reference
 * @since 0.1.0
 */
public record DriftSummary(int totalFeatures, int driftedFeatures, double driftPercentage, List<String> numericalDrifts,
                           List<String> categoricalDrifts, List<String> highSeverityDrifts, List<String> missingColumns,
                           List<String> newColumns) {

    /**
     * Copies the lists.
     *
     * @param totalFeatures features present in both
     * @param driftedFeatures drifted features
     * @param driftPercentage drifted share in percent
     * @param numericalDrifts drifted numeric features
     * @param categoricalDrifts drifted categorical features
     * @param highSeverityDrifts high-severity features
     * @param missingColumns columns missing from the current data
     * @param newColumns columns new in the current data
     */
    public DriftSummary {
        numericalDrifts = List.copyOf(numericalDrifts);
        categoricalDrifts = List.copyOf(categoricalDrifts);
        highSeverityDrifts = List.copyOf(highSeverityDrifts);
        missingColumns = List.copyOf(missingColumns);
        newColumns = List.copyOf(newColumns);
    }

    @Override
    public String toString() {
        return driftedFeatures + " of " + totalFeatures + " features drifted (" + String.format("%.1f", driftPercentage)
                + "%): numerical " + numericalDrifts + ", categorical " + categoricalDrifts + "; high severity "
                + highSeverityDrifts + (missingColumns.isEmpty() ? "" : "; missing columns " + missingColumns)
                + (newColumns.isEmpty() ? "" : "; new columns " + newColumns);
    }
}
