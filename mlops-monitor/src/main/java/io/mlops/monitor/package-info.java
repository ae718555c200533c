/**
 * Prediction monitoring: {@link io.mlops.monitor.ModelMonitor} logs predictions and feedback, keeps
 * metrics per model version, raises alerts, and shows a dashboard.
 */
package io.mlops.monitor;
