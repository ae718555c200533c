/**
 * Data-drift detection: {@link io.mlops.drift.DriftDetector} profiles a reference once and reports each
 * feature's drift, as JSON and as a self-contained HTML page.
 */
package io.mlops.drift;
