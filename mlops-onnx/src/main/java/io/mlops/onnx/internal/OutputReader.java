package io.mlops.onnx.internal;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import io.mlops.core.Json;
import io.mlops.serving.Prediction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a graph's outputs into predictions, decided once from the graph:
 * <ul>
 *   <li><b>classifier</b>: a label tensor ({@code [N]} or {@code [N, 1]}, integers or strings;
 *       preferably named like "label") and probabilities, either a {@code [N, C]} float tensor whose
 *       columns are the classes named by the metadata property {@code classes} (a JSON list; else
 *       0..C-1), or scikit-learn's ZipMap (a sequence of maps from class to probability);</li>
 *   <li><b>regressor</b>: one float output of shape {@code [N]} or {@code [N, 1]}: the value is both
 *       the label and the score.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class OutputReader {

    private final String label;          // null for a regressor
    private final String probabilities;  // null when absent
    private final List<String> classes;  // names of the probability columns, null for ZipMap or absent
    private final String value;          // a regressor's output
    private final String labelDatatype;

    private OutputReader(String label, String probabilities, List<String> classes, String value, String labelDatatype) {
        this.labelDatatype = labelDatatype;
        this.label = label;
        this.probabilities = probabilities;
        this.classes = classes;
        this.value = value;
    }

    /**
     * Reads the roles of the outputs from the graph.
     *
     * @param outputs the graph's outputs
     * @param metadata the model's custom metadata
     * @return the reader
     * @throws IllegalArgumentException when the outputs are neither a classifier's nor a regressor's
     */
    public static OutputReader of(Map<String, NodeInfo> outputs, Map<String, String> metadata) {
        String label = null;
        String probs = null;
        String value = null;
        String labelType = "FP64";
        for (NodeInfo node : outputs.values()) {
            if (node.getInfo() instanceof SequenceInfo seq && seq.sequenceOfMaps) {
                probs = node.getName();
            } else if (node.getInfo() instanceof TensorInfo t) {
                boolean column = t.getShape().length == 1 || t.getShape().length == 2 && t.getShape()[1] == 1;
                boolean integral = t.type == OnnxJavaType.INT64 || t.type == OnnxJavaType.INT32 || t.type == OnnxJavaType.STRING;
                if (column && integral && (label == null || node.getName().toLowerCase(java.util.Locale.ROOT).contains("label"))) {
                    label = node.getName();
                    labelType = t.type == OnnxJavaType.STRING ? "BYTES" : "INT64";
                } else if (t.getShape().length == 2 && t.getShape()[1] != 1 && (t.type == OnnxJavaType.FLOAT
                        || t.type == OnnxJavaType.DOUBLE) && probs == null) {
                    probs = node.getName();
                } else if (column && (t.type == OnnxJavaType.FLOAT || t.type == OnnxJavaType.DOUBLE) && value == null) {
                    value = node.getName();
                }
            } else if (node.getInfo() instanceof MapInfo) {
                throw new IllegalArgumentException("output '" + node.getName() + "' is a map; supported are tensors and ZipMap sequences");
            }
        }
        if (label == null && value != null) {
            return new OutputReader(null, null, null, value, "FP64");
        }
        if (label == null) {
            throw new IllegalArgumentException("the graph has neither a label output ([N] integers or strings) nor a"
                    + " regression output ([N] or [N, 1] floats): " + outputs.keySet());
        }
        return new OutputReader(label, probs, classNames(metadata), null, labelType);
    }

    /** The probability columns' classes from the metadata, or null (then 0..C-1). */
    private static List<String> classNames(Map<String, String> metadata) {
        String raw = metadata.get("classes");
        if (raw == null) {
            return null;
        }
        try {
            return ((List<?>) Json.read(raw)).stream().map(String::valueOf).toList();
        } catch (java.io.IOException | ClassCastException e) {
            throw new IllegalArgumentException("the model's metadata 'classes' is not a JSON list: " + raw);
        }
    }

    /**
     * Returns the labels' Open Inference Protocol datatype: INT64, BYTES (strings) or, for a regressor, FP64.
     *
     * @return the labels' datatype
     */
    public String labelDatatype() {
        return labelDatatype;
    }

    /**
     * Tells whether the graph is a classifier.
     *
     * @return whether the graph is a classifier
     */
    public boolean isClassifier() {
        return label != null;
    }

    /**
     * Reads one prediction per row.
     *
     * @param result the run's result
     * @param rows how many rows went in
     * @return the predictions
     * @throws OrtException when an output cannot be read
     */
    public List<Prediction> read(OrtSession.Result result, int rows) throws OrtException {
        List<Prediction> out = new ArrayList<>(rows);
        if (label == null) {
            double[] values = doubles(result.get(value).orElseThrow(), rows);
            for (double v : values) {
                out.add(new Prediction(v, Map.of(), v));
            }
            return out;
        }
        Object[] labels = labels(result.get(label).orElseThrow(), rows);
        List<Map<String, Double>> probs = probabilities == null ? null : probabilities(result.get(probabilities).orElseThrow(), rows);
        for (int i = 0; i < rows; i++) {
            out.add(probs == null ? Prediction.of(labels[i]) : Prediction.of(labels[i], probs.get(i)));
        }
        return out;
    }

    private static Object[] labels(OnnxValue v, int rows) throws OrtException {
        Object raw = v.getValue();
        Object[] out = new Object[rows];
        for (int i = 0; i < rows; i++) {
            Object cell = java.lang.reflect.Array.get(raw, i);
            if (cell.getClass().isArray()) {
                cell = java.lang.reflect.Array.get(cell, 0);
            }
            out[i] = cell;
        }
        return out;
    }

    private static double[] doubles(OnnxValue v, int rows) throws OrtException {
        Object raw = v.getValue();
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            Object cell = java.lang.reflect.Array.get(raw, i);
            if (cell.getClass().isArray()) {
                cell = java.lang.reflect.Array.get(cell, 0);
            }
            out[i] = ((Number) cell).doubleValue();
        }
        return out;
    }

    private List<Map<String, Double>> probabilities(OnnxValue v, int rows) throws OrtException {
        List<Map<String, Double>> out = new ArrayList<>(rows);
        if (v instanceof OnnxSequence seq) {
            for (Object entry : seq.getValue()) {
                Map<String, Double> p = new LinkedHashMap<>();
                ((OnnxMap) entry).getValue().forEach((k, x) -> p.put(String.valueOf(k), ((Number) x).doubleValue()));
                out.add(p);
            }
            return out;
        }
        Object raw = ((OnnxTensor) v).getValue();
        for (int i = 0; i < rows; i++) {
            Object row = java.lang.reflect.Array.get(raw, i);
            int width = java.lang.reflect.Array.getLength(row);
            if (classes != null && classes.size() != width) {
                throw new IllegalStateException("the model's metadata names " + classes.size() + " classes but output '"
                        + probabilities + "' has " + width + " columns");
            }
            Map<String, Double> p = new LinkedHashMap<>();
            for (int c = 0; c < width; c++) {
                p.put(classes == null ? Integer.toString(c) : classes.get(c),
                        ((Number) java.lang.reflect.Array.get(row, c)).doubleValue());
            }
            out.add(p);
        }
        return out;
    }
}
