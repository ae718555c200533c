package io.mlops.drift.stats;

/**
 * A chi-square test of homogeneity.
 *
 * @param statistic the chi-square statistic (Yates-corrected when asked and dof == 1)
 * @param pValue its upper-tail probability under the chi-square distribution with {@code dof}
 * @param dof degrees of freedom, {@code (rows - 1)(columns - 1)}
 * @param expected the expected frequencies under homogeneity; a copy is returned each time
 * @since 0.1.0
 */
public record ChiSquareResult(double statistic, double pValue, int dof, double[][] expected) {

    /**
     * Copies the expected frequencies.
     *
     * @param statistic the statistic
     * @param pValue the p-value
     * @param dof the degrees of freedom
     * @param expected the expected frequencies
     */
    public ChiSquareResult {
        expected = copy(expected);
    }

    /**
     * @return a copy of the expected frequencies
     */
    @Override
    public double[][] expected() {
        return copy(expected);
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /**
     * @return statistic and p-value
     */
    public TestResult toTestResult() {
        return new TestResult(statistic, pValue);
    }
}
