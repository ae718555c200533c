/**
 * Implementations behind the data-versioning API: commits, diffs, the file-system and in-memory stores.
 * Not API.
 */
package io.mlops.data.internal;
