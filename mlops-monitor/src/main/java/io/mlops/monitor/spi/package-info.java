/**
 * The {@link io.mlops.monitor.spi.MonitorStore} extension point and the records it stores.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.monitor.spi;
