/**
 * Shared SQL plumbing of the library's JDBC stores (registry, data versioning, monitor): dialect
 * detection, exclusive transactions across processes, and versioned schema migrations. Supported by
 * the library for its own modules; stable, but not meant as a general-purpose database layer.
 */
package io.mlops.core.sql;
