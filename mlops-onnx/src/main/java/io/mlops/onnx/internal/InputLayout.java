package io.mlops.onnx.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.mlops.core.Json;
import io.mlops.serving.FeatureSchema;
import io.mlops.serving.TensorBatch;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How named request fields become the graph's input tensors, decided once from the graph:
 * <ul>
 *   <li><b>matrix</b>: one numeric input of shape {@code [N, F]} (what scikit-learn converters write).
 *       Its columns are named by the model's metadata property {@code feature_names} (a JSON list of F
 *       names); each instance gives those fields, or the input's own name with a list of F numbers.</li>
 *   <li><b>per feature</b>: every input is one feature of shape {@code [N]} or {@code [N, 1]}, named
 *       as the graph names it (numbers, strings or booleans).</li>
 * </ul>
 * Fields are matched by name, never by their order in the request. Immutable and thread-safe.
 */
public final class InputLayout {

    /** One tensor the graph takes, and the request fields that fill it. */
    record Slot(String input, OnnxJavaType type, long[] shape, List<String> fields) {
    }

    private final List<Slot> slots;
    private final boolean matrix;
    /** Whether the matrix's columns are named by the model's metadata (else {@code INPUT_0}...). */
    private final boolean named;

    private InputLayout(List<Slot> slots, boolean matrix, boolean named) {
        this.slots = slots;
        this.matrix = matrix;
        this.named = named;
    }

    /**
     * Reads the layout from the graph's inputs and metadata.
     *
     * @param inputs the graph's inputs
     * @param metadata the model's custom metadata
     * @return the layout
     * @throws IllegalArgumentException when the graph's inputs fit neither layout, saying why
     */
    public static InputLayout of(Map<String, NodeInfo> inputs, Map<String, String> metadata) {
        List<Slot> slots = new ArrayList<>();
        for (NodeInfo node : inputs.values()) {
            if (!(node.getInfo() instanceof TensorInfo t)) {
                throw new IllegalArgumentException("input '" + node.getName() + "' is not a tensor: " + node.getInfo());
            }
            slots.add(new Slot(node.getName(), t.type, t.getShape(), List.of(node.getName())));
        }
        if (slots.size() == 1 && slots.get(0).shape.length == 2 && slots.get(0).shape[1] > 1) {
            Slot only = slots.get(0);
            if (!numeric(only.type)) {
                throw new IllegalArgumentException("input '" + only.input + "' is a matrix of " + only.type + "; supported are numbers");
            }
            int width = (int) only.shape[1];
            List<String> names = featureNames(metadata, width, only.input);
            return new InputLayout(List.of(new Slot(only.input, only.type, only.shape, names)), true,
                    metadata.containsKey("feature_names"));
        }
        for (Slot s : slots) {
            boolean column = s.shape.length == 1 || s.shape.length == 2 && s.shape[1] == 1;
            if (!column) {
                throw new IllegalArgumentException("input '" + s.input + "' has shape " + java.util.Arrays.toString(s.shape)
                        + "; supported are one [N, F] matrix or one [N] / [N, 1] input per feature");
            }
            if (!numeric(s.type) && s.type != OnnxJavaType.STRING && s.type != OnnxJavaType.BOOL) {
                throw new IllegalArgumentException("input '" + s.input + "' holds " + s.type + ", which requests cannot fill");
            }
        }
        return new InputLayout(List.copyOf(slots), false, true);
    }

    private static List<String> featureNames(Map<String, String> metadata, int width, String input) {
        String raw = metadata.get("feature_names");
        if (raw == null) {
            List<String> generic = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                generic.add(input + "_" + i);
            }
            return generic;
        }
        List<?> names;
        try {
            names = (List<?>) Json.read(raw);
        } catch (java.io.IOException | ClassCastException e) {
            throw new IllegalArgumentException("the model's metadata 'feature_names' is not a JSON list: " + raw);
        }
        if (names.size() != width) {
            throw new IllegalArgumentException("the model's metadata names " + names.size() + " features but input '" + input
                    + "' has " + width + " columns");
        }
        return names.stream().map(String::valueOf).toList();
    }

    private static boolean numeric(OnnxJavaType t) {
        return t == OnnxJavaType.FLOAT || t == OnnxJavaType.DOUBLE || t == OnnxJavaType.INT64 || t == OnnxJavaType.INT32;
    }

    /**
     * @return the width of the one [N, F] matrix the graph takes, or -1 when its inputs are columns
     */
    public int matrixWidth() {
        return matrix ? slots.get(0).fields.size() : -1;
    }

    /**
     * One instance as the matrix's row, each value rounded to the input's float when it is one (as
     * the model sees it).
     *
     * @param instance the instance
     * @return its row
     * @throws IllegalArgumentException when a feature is missing or not a finite number
     * @throws IllegalStateException when the graph takes columns, not a matrix
     */
    public double[] matrixRow(Map<String, Object> instance) {
        if (!matrix) {
            throw new IllegalStateException("the model takes one input per feature, not a matrix");
        }
        Slot s = slots.get(0);
        double[] row = new double[s.fields.size()];
        row(instance, s, 0, row, 0);
        if (s.type == OnnxJavaType.FLOAT) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) row[i];
            }
        }
        return row;
    }

    /**
     * @return the request fields, in column order
     */
    public List<String> features() {
        List<String> out = new ArrayList<>();
        slots.forEach(s -> out.addAll(s.fields));
        return out;
    }

    /**
     * Returns the schema requests must follow (so that bad input is a 400 naming the field).
     *
     * @return the schema requests must follow
     */
    public FeatureSchema schema() {
        FeatureSchema.Builder b = FeatureSchema.builder();
        for (Slot s : slots) {
            for (String f : s.fields) {
                if (s.type == OnnxJavaType.STRING) {
                    b.string(f);
                } else if (s.type == OnnxJavaType.BOOL) {
                    b.bool(f);
                } else if (matrix && !named) {
                    b.optionalNumber(f); // or the whole row under the input's name; checked in tensors()
                } else {
                    b.number(f);
                }
            }
        }
        return b.build();
    }

    /**
     * Makes the input tensors of a batch; the caller closes them.
     *
     * @param env the environment
     * @param rows the instances
     * @return the tensors by input name
     * @throws IllegalArgumentException when an instance lacks a field or gives a non-number for one
     * @throws OrtException when ONNX Runtime refuses a tensor
     */
    public Map<String, OnnxTensor> tensors(OrtEnvironment env, List<Map<String, Object>> rows) throws OrtException {
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        try {
            for (Slot s : slots) {
                out.put(s.input, tensor(env, s, rows));
            }
            return out;
        } catch (RuntimeException | OrtException e) {
            out.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    private OnnxTensor tensor(OrtEnvironment env, Slot s, List<Map<String, Object>> rows) throws OrtException {
        int n = rows.size();
        int width = s.fields.size();
        long[] shape = s.shape.length == 1 ? new long[] {n} : new long[] {n, width};
        if (s.type == OnnxJavaType.STRING) {
            String[] data = new String[n];
            for (int i = 0; i < n; i++) {
                data[i] = String.valueOf(required(rows.get(i), s.fields.get(0), i));
            }
            return OnnxTensor.createTensor(env, data, shape);
        }
        if (s.type == OnnxJavaType.BOOL) {
            boolean[][] data = new boolean[n][1];
            for (int i = 0; i < n; i++) {
                Object v = required(rows.get(i), s.fields.get(0), i);
                if (!(v instanceof Boolean b)) {
                    throw new IllegalArgumentException("feature '" + s.fields.get(0) + "' must be true or false");
                }
                data[i][0] = b;
            }
            return OnnxTensor.createTensor(env, s.shape.length == 1 ? flatten(data) : data);
        }
        double[] values = new double[n * width];
        for (int i = 0; i < n; i++) {
            row(rows.get(i), s, i, values, i * width);
        }
        return switch (s.type) {
            case FLOAT -> {
                float[] f = new float[values.length];
                for (int k = 0; k < f.length; k++) {
                    f[k] = (float) values[k];
                }
                yield OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
            }
            case DOUBLE -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(values), shape);
            case INT64 -> {
                long[] l = new long[values.length];
                for (int k = 0; k < l.length; k++) {
                    l[k] = (long) values[k];
                }
                yield OnnxTensor.createTensor(env, LongBuffer.wrap(l), shape);
            }
            default -> {
                int[] a = new int[values.length];
                for (int k = 0; k < a.length; k++) {
                    a[k] = (int) values[k];
                }
                yield OnnxTensor.createTensor(env, IntBuffer.wrap(a), shape);
            }
        };
    }

    /**
     * Makes the input tensors straight from a request's primitive arrays, without boxing a row;
     * the caller closes them ({@link TensorInputs}).
     *
     * @param env the environment
     * @param batch the request's rows
     * @return the tensors by input name, or null when the batch lacks a field or holds one of a
     *     type its input cannot take (the caller then goes the row-by-row way, which says which)
     * @throws OrtException when ONNX Runtime refuses a tensor
     */
    public Map<String, OnnxTensor> tensors(OrtEnvironment env, TensorBatch batch) throws OrtException {
        return TensorInputs.tensors(env, slots, batch);
    }

    private static boolean[] flatten(boolean[][] data) {
        boolean[] out = new boolean[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i][0];
        }
        return out;
    }

    /** One instance's numbers for a slot: its named fields, or (a matrix) a list under the input's name. */
    private void row(Map<String, Object> instance, Slot s, int index, double[] into, int at) {
        Object whole = matrix ? instance.get(s.input) : null;
        if (whole instanceof List<?> list && !s.fields.contains(s.input)) {
            if (list.size() != s.fields.size()) {
                throw new IllegalArgumentException("'" + s.input + "' must list " + s.fields.size() + " numbers but has "
                        + list.size());
            }
            for (int k = 0; k < list.size(); k++) {
                into[at + k] = number(list.get(k), s.input + "[" + k + "]");
            }
            return;
        }
        for (int k = 0; k < s.fields.size(); k++) {
            String field = s.fields.get(k);
            into[at + k] = number(required(instance, field, index), field);
        }
    }

    private static Object required(Map<String, Object> instance, String field, int index) {
        Object v = instance.get(field);
        if (v == null) {
            throw new IllegalArgumentException("missing feature '" + field + "'" + (index > 0 ? " in instance " + index : ""));
        }
        return v;
    }

    private static double number(Object v, String field) {
        if (!(v instanceof Number n) || v instanceof Double d && !Double.isFinite(d)) {
            throw new IllegalArgumentException("feature '" + field + "' must be a finite number but was " + v);
        }
        return n.doubleValue();
    }
}
