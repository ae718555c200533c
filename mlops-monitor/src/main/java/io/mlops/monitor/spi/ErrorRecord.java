package io.mlops.monitor.spi;

/**
 * A failed request.
 *
 * @param timestampMillis when, epoch milliseconds
 * @param modelVersion the version, or null
 * @param message what went wrong
 * @since 0.1.0
 */
public record ErrorRecord(long timestampMillis, String modelVersion, String message) {
}
