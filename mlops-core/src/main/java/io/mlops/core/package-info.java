/**
 * The foundation: configuration ({@link io.mlops.core.MlopsConfig}), columnar datasets with CSV and a
 * canonical content hash ({@link io.mlops.core.Dataset}), semantic versions, name validation, JSON limits,
 * shared threads, and the exception root {@link io.mlops.core.MlopsException}.
 */
package io.mlops.core;
