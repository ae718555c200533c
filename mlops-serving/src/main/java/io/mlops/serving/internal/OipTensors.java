package io.mlops.serving.internal;

import io.mlops.serving.FeatureSchema;
import io.mlops.serving.Prediction;
import io.mlops.serving.Tensor;
import io.mlops.serving.TensorBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open Inference Protocol tensors to a {@link TensorBatch} and predictions to tensors: decides how
 * the inputs name the features (one tensor per feature, or one {@code [N, F]} matrix of the
 * schema's features in order), checks them against the schema column by column (never row by row,
 * so no row is boxed to be checked), and names the input at fault.
 */
final class OipTensors {

    private OipTensors() {
    }

    /**
     * Arranges the request's inputs as a batch: one [N, F] tensor whose columns are the schema's
     * features in order (without a schema, {@code NAME_0 .. NAME_{F-1}}), or one [N] / [N, 1]
     * tensor per feature.
     */
    static TensorBatch batch(List<Tensor> inputs, FeatureSchema schema) throws HttpError {
        List<String> features = schema == null ? null : schema.features().stream().map(FeatureSchema.Feature::name).toList();
        Tensor first = inputs.get(0);
        TensorBatch batch;
        if (inputs.size() == 1 && first.shape().length == 2 && first.shape()[1] > 1 && features == null) {
            // no schema to name the columns: NAME_0 .. NAME_{F-1}, as ONNX names an unnamed matrix's
            List<String> generic = new ArrayList<>();
            for (int c = 0; c < first.shape()[1]; c++) {
                generic.add(first.name() + "_" + c);
            }
            batch = TensorBatch.ofMatrix(first, generic);
        } else if (inputs.size() == 1 && first.shape().length == 2 && first.shape()[1] > 1 && !features.contains(first.name())) {
            if (first.shape()[1] != features.size()) {
                throw new HttpError(400, "input '" + first.name() + "' has " + first.shape()[1] + " columns but the model takes "
                        + features.size() + " features " + features, first.name());
            }
            batch = TensorBatch.ofMatrix(first, features);
        } else {
            for (Tensor in : inputs) {
                if (in.shape().length == 2 && in.shape()[1] != 1) {
                    throw new HttpError(400, "input '" + in.name() + "' has shape " + Arrays.toString(in.shape())
                            + ": send one [N] or [N, 1] tensor per feature, or one [N, F] tensor of all features", in.name());
                }
                if (in.rows() != first.rows()) {
                    throw new HttpError(400, "input '" + in.name() + "' has " + in.rows() + " rows but '" + first.name() + "' has "
                            + first.rows(), in.name());
                }
            }
            batch = TensorBatch.ofColumns(inputs);
        }
        if (batch.rows() == 0) {
            throw new HttpError(400, "the inputs hold no rows", "inputs");
        }
        return batch;
    }

    /** Checks the batch's columns against a schema: required features present, each of the feature's type. */
    static void check(TensorBatch batch, FeatureSchema schema) throws HttpError {
        if (schema == null) {
            return;
        }
        for (FeatureSchema.Feature f : schema.features()) {
            int column = batch.features().indexOf(f.name());
            if (column < 0) {
                if (f.required()) {
                    throw new HttpError(400, "missing required feature '" + f.name() + "'", f.name());
                }
                continue;
            }
            Tensor t = batch.isMatrix() ? batch.tensors().get(0) : batch.tensors().get(column);
            boolean ok = switch (f.type()) {
                case NUMBER -> t.isNumeric();
                case STRING -> t.datatype().equals("BYTES");
                case BOOLEAN -> t.datatype().equals("BOOL");
            };
            if (!ok) {
                throw new HttpError(400, "feature '" + f.name() + "' must be a " + f.type().name().toLowerCase(java.util.Locale.ROOT)
                        + " but input '" + t.name() + "' holds " + t.datatype(), f.name());
            }
        }
    }

    /** The labels as a [N] tensor of the model's label datatype. */
    static Map<String, Object> labels(List<Prediction> predictions, String datatype) {
        List<Object> data = new ArrayList<>(predictions.size());
        for (Prediction p : predictions) {
            Object label = p.label();
            data.add(switch (datatype) {
                case "INT64" -> label instanceof Number n ? (Object) n.longValue() : label;
                case "FP64" -> label instanceof Number n ? (Object) n.doubleValue() : label;
                case "BOOL" -> label;
                default -> String.valueOf(label);
            });
        }
        return tensor("label", datatype, List.of((long) predictions.size()), data, null);
    }

    /** The probabilities as an [N, C] FP64 tensor, classes in order in its parameters; null when the model gives none. */
    static Map<String, Object> probabilities(List<Prediction> predictions) {
        Map<String, Object> chapter = new LinkedHashMap<>();
        PredictEndpoints.chapterFields(chapter, predictions);
        @SuppressWarnings("unchecked")
        List<String> classes = (List<String>) chapter.get("classes");
        if (classes == null) {
            return null;
        }
        List<Object> data = new ArrayList<>(predictions.size() * classes.size());
        @SuppressWarnings("unchecked")
        List<List<Double>> rows = (List<List<Double>>) chapter.get("probabilities");
        for (List<Double> row : rows) {
            for (int c = 0; c < classes.size(); c++) {
                data.add(row == null ? null : row.get(c));
            }
        }
        return tensor("probabilities", "FP64", List.of((long) predictions.size(), (long) classes.size()), data,
                Map.of("classes", classes));
    }

    private static Map<String, Object> tensor(String name, String datatype, List<Long> shape, List<Object> data,
                                              Map<String, Object> parameters) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("datatype", datatype);
        t.put("shape", shape);
        if (parameters != null) {
            t.put("parameters", parameters);
        }
        t.put("data", data);
        return t;
    }
}
