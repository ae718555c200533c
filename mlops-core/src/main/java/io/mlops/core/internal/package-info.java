/**
 * Implementations behind the core API: the file-system and in-memory blob stores. Not API.
 */
package io.mlops.core.internal;
