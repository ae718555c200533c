/**
 * The {@link io.mlops.monitor.spi.MonitorStore} extension point and the records it stores.
 */
package io.mlops.monitor.spi;
