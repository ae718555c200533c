/**
 * The {@link io.mlops.registry.spi.ModelStore} extension point: where versions, alias histories and the
 * audit log live.
 */
package io.mlops.registry.spi;
