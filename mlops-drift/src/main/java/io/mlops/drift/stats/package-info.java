/**
 * The statistics on their own, each checked against SciPy: Kolmogorov-Smirnov, chi-square, Wasserstein,
 * Jensen-Shannon, Hellinger, the Population Stability Index.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.drift.stats;
