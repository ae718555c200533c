/**
 * The {@link io.mlops.registry.spi.ModelStore} extension point: where versions, alias histories and the
 * audit log live.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.registry.spi;
