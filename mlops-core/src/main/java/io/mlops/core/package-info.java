/**
 * The foundation: configuration ({@link io.mlops.core.MlopsConfig}), columnar datasets with CSV and a
 * canonical content hash ({@link io.mlops.core.Dataset}), semantic versions, name validation, JSON limits,
 * shared threads, and the exception root {@link io.mlops.core.MlopsException}.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.core;
