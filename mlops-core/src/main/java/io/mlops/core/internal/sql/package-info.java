/**
 * Shared SQL plumbing of the library's JDBC stores (registry, data versioning, monitor): dialect
 * detection, exclusive transactions across processes, and versioned schema migrations. Supported by
 * the library for its own modules; stable, but not meant as a general-purpose database layer.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.core.internal.sql;
