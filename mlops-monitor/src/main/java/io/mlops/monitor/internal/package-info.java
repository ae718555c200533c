/**
 * Implementations behind the monitor API: the write-behind queue, aggregates, alert evaluation, the SQL
 * and in-memory stores. Not API.
 */
package io.mlops.monitor.internal;
