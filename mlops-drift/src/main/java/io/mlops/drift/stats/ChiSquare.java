package io.mlops.drift.stats;

import org.apache.commons.math3.special.Gamma;

import java.util.Objects;

/**
 * The chi-square test of homogeneity on a contingency table, as SciPy's
 * {@code chi2_contingency(table, correction)}: expected frequencies from the margins, Yates'
 * continuity correction when asked and {@code dof == 1} (each observed count moved towards its
 * expected count by at most 0.5), the p-value as the regularized upper incomplete gamma function
 * {@code Q(dof/2, statistic/2)} (accurate far into the tail, unlike {@code 1 - cdf}).
 * Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class ChiSquare {

    private ChiSquare() {
    }

    /**
     * Tests a contingency table.
     *
     * @param table counts, at least 1 x 1, rectangular, non-negative; every row and column total
     *     must be positive (an expected frequency of zero is undefined, as in SciPy)
     * @param yates whether to apply Yates' correction when {@code dof == 1} (SciPy's default: true)
     * @return statistic, p-value, degrees of freedom and expected frequencies
     * @throws IllegalArgumentException when the table is ragged, negative, or has a zero margin
     */
    public static ChiSquareResult contingency(long[][] table, boolean yates) {
        Objects.requireNonNull(table, "table");
        int rows = table.length;
        if (rows == 0 || table[0].length == 0) {
            throw new IllegalArgumentException("table must have at least one row and one column");
        }
        int cols = table[0].length;
        double[] rowSums = new double[rows];
        double[] colSums = new double[cols];
        double total = 0;
        for (int i = 0; i < rows; i++) {
            if (table[i].length != cols) {
                throw new IllegalArgumentException("table must be rectangular but row " + i + " has " + table[i].length
                        + " columns, not " + cols);
            }
            for (int j = 0; j < cols; j++) {
                if (table[i][j] < 0) {
                    throw new IllegalArgumentException("counts must be >= 0 but table[" + i + "][" + j + "] is " + table[i][j]);
                }
                rowSums[i] += table[i][j];
                colSums[j] += table[i][j];
                total += table[i][j];
            }
        }
        double[][] expected = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                expected[i][j] = rowSums[i] * colSums[j] / total;
                if (!(expected[i][j] > 0)) { // 0, or NaN for an all-zero table (where SciPy returns NaN)
                    throw new IllegalArgumentException("expected frequency for table[" + i + "][" + j
                            + "] is zero: every row and column needs a positive total");
                }
            }
        }
        int dof = rows * cols - rows - cols + 1;
        if (dof == 0) {
            return new ChiSquareResult(0.0, 1.0, 0, expected);
        }
        double statistic = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double observed = table[i][j];
                if (yates && dof == 1) {
                    double diff = expected[i][j] - observed;
                    observed += Math.signum(diff) * Math.min(0.5, Math.abs(diff));
                }
                double d = observed - expected[i][j];
                statistic += d * d / expected[i][j];
            }
        }
        return new ChiSquareResult(statistic, upperTail(dof, statistic), dof, expected);
    }

    /**
     * The chi-square survival function.
     *
     * @param dof degrees of freedom, {@code >= 1}
     * @param statistic the value
     * @return {@code P(X >= statistic)}
     */
    public static double upperTail(int dof, double statistic) {
        if (statistic <= 0) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(dof / 2.0, statistic / 2.0, 1e-15, 100_000);
    }
}
