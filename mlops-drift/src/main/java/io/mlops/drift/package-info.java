/**
 * Data-drift detection: {@link io.mlops.drift.DriftDetector} profiles a reference once and reports each
 * feature's drift, as JSON and as a self-contained HTML page.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.drift;
