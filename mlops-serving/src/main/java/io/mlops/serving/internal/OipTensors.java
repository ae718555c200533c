package io.mlops.serving.internal;

import io.mlops.serving.FeatureSchema;
import io.mlops.serving.Prediction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Open Inference Protocol tensors to instances and predictions to tensors: checks shapes, datatypes
 * and element counts, reads {@code data} flat (row-major) or nested, and names the input at fault.
 */
final class OipTensors {

    private static final Set<String> INTEGERS = Set.of("INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64");
    private static final Set<String> FLOATS = Set.of("FP16", "FP32", "FP64", "BF16");

    private OipTensors() {
    }

    /** One checked input tensor. */
    private record Input(String name, long[] shape, String datatype, List<Object> data) {
        int rows() {
            return (int) shape[0];
        }

        int width() {
            return shape.length == 1 ? 1 : (int) shape[1];
        }
    }

    /**
     * Turns the request's inputs into instances: one tensor per feature, or one [N, F] tensor whose
     * columns are the schema's features in order.
     */
    static List<Map<String, Object>> instances(Object rawInputs, FeatureSchema schema) throws HttpError {
        if (!(rawInputs instanceof List<?> list) || list.isEmpty()) {
            throw new HttpError(400, "'inputs' must be a non-empty array of tensors", "inputs");
        }
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            inputs.add(input(list.get(i), "inputs[" + i + "]"));
        }
        List<String> features = schema == null ? null : schema.features().stream().map(FeatureSchema.Feature::name).toList();
        Input first = inputs.get(0);
        List<Map<String, Object>> out = new ArrayList<>();
        if (inputs.size() == 1 && first.shape.length == 2 && first.width() > 1 && features != null
                && !features.contains(first.name)) {
            if (first.width() != features.size()) {
                throw new HttpError(400, "input '" + first.name + "' has " + first.width() + " columns but the model takes "
                        + features.size() + " features " + features, first.name);
            }
            for (int r = 0; r < first.rows(); r++) {
                Map<String, Object> instance = new LinkedHashMap<>();
                for (int c = 0; c < features.size(); c++) {
                    instance.put(features.get(c), first.data.get(r * features.size() + c));
                }
                out.add(instance);
            }
            return checkRows(out);
        }
        for (Input in : inputs) {
            if (in.width() != 1) {
                throw new HttpError(400, "input '" + in.name + "' has shape " + java.util.Arrays.toString(in.shape)
                        + ": send one [N] or [N, 1] tensor per feature, or one [N, F] tensor of all features", in.name);
            }
            if (in.rows() != first.rows()) {
                throw new HttpError(400, "input '" + in.name + "' has " + in.rows() + " rows but '" + first.name + "' has "
                        + first.rows(), in.name);
            }
        }
        for (int r = 0; r < first.rows(); r++) {
            Map<String, Object> instance = new LinkedHashMap<>();
            for (Input in : inputs) {
                instance.put(in.name, in.data.get(r));
            }
            out.add(instance);
        }
        return checkRows(out);
    }

    private static List<Map<String, Object>> checkRows(List<Map<String, Object>> rows) throws HttpError {
        if (rows.isEmpty()) {
            throw new HttpError(400, "the inputs hold no rows", "inputs");
        }
        return rows;
    }

    private static Input input(Object raw, String where) throws HttpError {
        if (!(raw instanceof Map<?, ?> m)) {
            throw new HttpError(400, where + " must be an object with name, shape, datatype and data", where);
        }
        if (!(m.get("name") instanceof String name) || name.isEmpty()) {
            throw new HttpError(400, where + ".name must be a non-empty string", where);
        }
        if (!(m.get("datatype") instanceof String datatype)) {
            throw new HttpError(400, "input '" + name + "' needs a datatype", name);
        }
        if (!INTEGERS.contains(datatype) && !FLOATS.contains(datatype) && !datatype.equals("BOOL") && !datatype.equals("BYTES")) {
            throw new HttpError(400, "input '" + name + "' has datatype '" + datatype + "'; supported are BOOL, INT8-INT64,"
                    + " UINT8-UINT64, FP16, FP32, FP64 and BYTES", name);
        }
        if (!(m.get("shape") instanceof List<?> rawShape) || rawShape.isEmpty() || rawShape.size() > 2) {
            throw new HttpError(400, "input '" + name + "' needs a shape of one or two dimensions ([N] or [N, F])", name);
        }
        long[] shape = new long[rawShape.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(rawShape.get(i) instanceof Integer || rawShape.get(i) instanceof Long) || ((Number) rawShape.get(i)).longValue() < 0) {
                throw new HttpError(400, "input '" + name + "' has a shape that is not a list of whole numbers >= 0", name);
            }
            shape[i] = ((Number) rawShape.get(i)).longValue();
        }
        List<Object> data = new ArrayList<>();
        flatten(m.get("data"), data, name);
        if (data.size() != shape[0] * (shape.length == 1 ? 1 : shape[1])) {
            throw new HttpError(400, "input '" + name + "' has " + data.size() + " elements but its shape "
                    + java.util.Arrays.toString(shape) + " needs " + (shape[0] * (shape.length == 1 ? 1 : shape[1])), name);
        }
        for (int i = 0; i < data.size(); i++) {
            data.set(i, element(data.get(i), datatype, name, i));
        }
        return new Input(name, shape, datatype, data);
    }

    private static void flatten(Object data, List<Object> into, String name) throws HttpError {
        if (!(data instanceof List<?> list)) {
            throw new HttpError(400, "input '" + name + "' needs 'data': an array, flat (row-major) or nested", name);
        }
        for (Object o : list) {
            if (o instanceof List) {
                flatten(o, into, name);
            } else {
                into.add(o);
            }
        }
    }

    private static Object element(Object v, String datatype, String name, int index) throws HttpError {
        String where = "input '" + name + "' element " + index;
        if (datatype.equals("BOOL")) {
            if (v instanceof Boolean) {
                return v;
            }
            throw new HttpError(400, where + " must be true or false for BOOL", name);
        }
        if (datatype.equals("BYTES")) {
            if (v instanceof String) {
                return v;
            }
            throw new HttpError(400, where + " must be a string for BYTES", name);
        }
        if (!(v instanceof Number n)) {
            throw new HttpError(400, where + " must be a number for " + datatype, name);
        }
        if (INTEGERS.contains(datatype)) {
            if (v instanceof Double || v instanceof Float || v instanceof java.math.BigInteger) {
                throw new HttpError(400, where + " must be a whole number in range for " + datatype, name);
            }
            if (datatype.startsWith("U") && n.longValue() < 0) {
                throw new HttpError(400, where + " must not be negative for " + datatype, name);
            }
            return n.longValue();
        }
        return n.doubleValue();
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
