/**
 * The statistics on their own, each checked against SciPy: Kolmogorov-Smirnov, chi-square, Wasserstein,
 * Jensen-Shannon, Hellinger, the Population Stability Index.
 */
package io.mlops.drift.stats;
