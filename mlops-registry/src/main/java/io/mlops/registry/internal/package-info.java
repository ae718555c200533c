/**
 * Implementations behind the registry API: registrations, aliases, artifact access, the file-system and
 * in-memory stores. Not API.
 */
package io.mlops.registry.internal;
