/**
 * The model registry: versions in SemVer order, aliases with history and rollback, verified artifacts,
 * codecs and the audit log ({@link io.mlops.registry.ModelRegistry}).
 */
package io.mlops.registry;
