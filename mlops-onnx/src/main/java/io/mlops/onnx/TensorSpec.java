package io.mlops.onnx;

import java.util.List;
import java.util.Objects;

/**
 * One input or output of an ONNX graph, described as the Open Inference Protocol describes tensors.
 *
 * @param name the graph's name for it
 * @param datatype the element type in the protocol's names ({@code BOOL}, {@code INT8} ... {@code INT64},
 *     {@code UINT8}, {@code FP16}, {@code FP32}, {@code FP64}, {@code BYTES} for strings); a value that
 *     is not a tensor is {@code SEQUENCE} (e.g. scikit-learn's ZipMap probabilities) or {@code MAP}
 * @param shape the dimensions, {@code -1} where the graph leaves one open (such as the batch); empty
 *     for a sequence or map
 * @since 0.1.0
 */
public record TensorSpec(String name, String datatype, List<Long> shape) {

    /**
     * Checks and copies the fields.
     *
     * @param name the name
     * @param datatype the element type
     * @param shape the dimensions
     */
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        shape = List.copyOf(shape);
    }

    /**
     * Tells whether it is a tensor (not a sequence or map).
     *
     * @return whether it is a tensor
     */
    public boolean isTensor() {
        return !datatype.equals("SEQUENCE") && !datatype.equals("MAP");
    }
}
