/**
 * Models in ONNX form run by ONNX Runtime as {@link io.mlops.serving.Predictor}s
 * ({@link io.mlops.onnx.OnnxModel}), and their loader for registry-backed serving.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.onnx;
