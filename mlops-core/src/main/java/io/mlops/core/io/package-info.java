/**
 * Crash-safe file primitives the stores are built on: atomic writes, append-only logs, locks across
 * threads and processes, and the reading of stored JSON records.
 */
package io.mlops.core.io;
