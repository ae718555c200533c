package io.mlops.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The user's model behind the server. Implementations must be thread-safe: the server calls them
 * from many request threads at once.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Predictor {

    /**
     * Predicts one instance.
     *
     * @param features the instance's features by name
     * @return the prediction
     */
    Prediction predict(Map<String, Object> features);

    /**
     * Predicts several instances; override when the model is faster in batches.
     *
     * @param instances the instances
     * @return one prediction per instance, in order
     */
    default List<Prediction> predictBatch(List<Map<String, Object>> instances) {
        List<Prediction> out = new ArrayList<>(instances.size());
        for (Map<String, Object> instance : instances) {
            out.add(predict(instance));
        }
        return out;
    }

    /**
     * Predicts the rows of an Open Inference Protocol request, given as tensors whose elements sit
     * in primitive arrays. The default runs {@link #predictBatch} on {@link TensorBatch#instances()},
     * whose maps are made one at a time as they are read; override it when the model can take the
     * arrays as they are (an {@code OnnxModel} hands a matching matrix to ONNX Runtime as one
     * tensor), so that a large request is never boxed element by element.
     *
     * @param batch the request's rows
     * @return one prediction per row, in order
     * @since 0.1.0
     */
    default List<Prediction> predictTensors(TensorBatch batch) {
        List<Map<String, Object>> rows = batch.instances();
        return rows.size() == 1 ? List.of(predict(rows.get(0))) : predictBatch(rows);
    }

    /**
     * Returns the features requests must carry, when the model knows them (an ONNX graph does); a
     * server checks each instance against it, unless its builder was given a schema, so that bad
     * input is a 400 naming the field before the model runs.
     *
     * @return the features requests must carry, or empty (the default)
     */
    default java.util.Optional<FeatureSchema> schema() {
        return java.util.Optional.empty();
    }

    /**
     * Returns the Open Inference Protocol datatype of the labels, for {@code /v2} metadata and
     * responses: {@code BYTES} (the default: labels sent as strings), {@code INT64}, {@code FP64} or
     * {@code BOOL}.
     *
     * @return the datatype of the labels
     */
    default String labelDatatype() {
        return "BYTES";
    }

    /**
     * @return the model's type, for {@code /model_info} (default: the implementation's class name)
     */
    default String type() {
        return getClass().getName();
    }

    /**
     * An explainer of this model's predictions, against a background sample (rows of the training
     * data, say): by default Kernel SHAP ({@link Explainer#kernelShap(Predictor, List)}); models that
     * know their structure do better (an ONNX tree ensemble: exact TreeSHAP).
     *
     * @param background rows standing for "absent" features (1 to 1,000)
     * @return the explainer
     * @throws IllegalArgumentException when the background is unusable
     */
    default Explainer explainer(List<Map<String, Object>> background) {
        return Explainer.kernelShap(this, background);
    }
}
