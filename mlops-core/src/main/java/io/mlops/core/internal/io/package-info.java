/**
 * Crash-safe file primitives the stores are built on: atomic writes, append-only logs, locks across
 * threads and processes, and the reading of stored JSON records.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.core.internal.io;
