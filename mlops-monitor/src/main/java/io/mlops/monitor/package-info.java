/**
 * Prediction monitoring: {@link io.mlops.monitor.ModelMonitor} logs predictions and feedback, keeps
 * metrics per model version, raises alerts, and shows a dashboard.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.monitor;
