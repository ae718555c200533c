/**
 * The model registry: versions in SemVer order, aliases with history and rollback, verified artifacts,
 * codecs and the audit log ({@link io.mlops.registry.ModelRegistry}).
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.registry;
