package io.mlops.onnx.internal;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.mlops.serving.Tensor;
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
 * The graph's input tensors made straight from an inference request's primitive arrays: each of an
 * input's fields is read from the batch's column of that name (a column tensor, or a column of its
 * matrix) into the one array of the input's element type, so a request of a million elements
 * becomes one tensor call without a boxed value. Stateless and thread-safe.
 */
final class TensorInputs {

    private TensorInputs() {
    }

    /** The tensors by input name, or null when the batch lacks a field or holds one of a type its input cannot take. */
    static Map<String, OnnxTensor> tensors(OrtEnvironment env, List<InputLayout.Slot> slots, TensorBatch batch) throws OrtException {
        List<Column[]> sources = new ArrayList<>();
        for (InputLayout.Slot s : slots) {
            Column[] columns = new Column[s.fields().size()];
            for (int k = 0; k < columns.length; k++) {
                columns[k] = Column.of(batch, s.fields().get(k));
                if (columns[k] == null || !columns[k].fits(s.type())) {
                    return null;
                }
            }
            sources.add(columns);
        }
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        try {
            for (int i = 0; i < slots.size(); i++) {
                out.put(slots.get(i).input(), tensor(env, slots.get(i), sources.get(i), batch.rows()));
            }
            return out;
        } catch (RuntimeException | OrtException e) {
            out.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    /** Where a field's values are in a batch: a tensor, the column within its rows, and its row width. */
    private record Column(Tensor tensor, int column, int width) {
        static Column of(TensorBatch batch, String field) {
            if (batch.isMatrix()) {
                int c = batch.features().indexOf(field);
                return c < 0 ? null : new Column(batch.tensors().get(0), c, batch.features().size());
            }
            return batch.tensor(field).map(t -> new Column(t, 0, 1)).orElse(null);
        }

        boolean fits(OnnxJavaType type) {
            return switch (type) {
                case STRING -> tensor.datatype().equals("BYTES");
                case BOOL -> tensor.datatype().equals("BOOL");
                default -> tensor.isNumeric();
            };
        }

        int at(int row) {
            return row * width + column;
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, InputLayout.Slot s, Column[] columns, int n) throws OrtException {
        int width = columns.length;
        long[] shape = s.shape().length == 1 ? new long[] {n} : new long[] {n, width};
        int size = n * width;
        switch (s.type()) {
            case STRING -> {
                String[] data = new String[n];
                for (int i = 0; i < n; i++) {
                    data[i] = columns[0].tensor.stringAt(columns[0].at(i));
                }
                return OnnxTensor.createTensor(env, data, shape);
            }
            case BOOL -> {
                boolean[] data = new boolean[n];
                for (int i = 0; i < n; i++) {
                    data[i] = columns[0].tensor.booleanAt(columns[0].at(i));
                }
                return OnnxTensor.createTensor(env, s.shape().length == 1 ? data : column(data));
            }
            case FLOAT -> {
                float[] f = new float[size];
                for (int k = 0; k < width; k++) {
                    Column c = columns[k];
                    for (int i = 0; i < n; i++) {
                        f[i * width + k] = (float) c.tensor.doubleAt(c.at(i));
                    }
                }
                return OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
            }
            case DOUBLE -> {
                double[] d = new double[size];
                for (int k = 0; k < width; k++) {
                    Column c = columns[k];
                    for (int i = 0; i < n; i++) {
                        d[i * width + k] = c.tensor.doubleAt(c.at(i));
                    }
                }
                return OnnxTensor.createTensor(env, DoubleBuffer.wrap(d), shape);
            }
            case INT64 -> {
                long[] l = new long[size];
                for (int k = 0; k < width; k++) {
                    Column c = columns[k];
                    boolean integer = Tensor.INTEGER.contains(c.tensor.datatype());
                    for (int i = 0; i < n; i++) {
                        l[i * width + k] = integer ? c.tensor.longAt(c.at(i)) : (long) c.tensor.doubleAt(c.at(i));
                    }
                }
                return OnnxTensor.createTensor(env, LongBuffer.wrap(l), shape);
            }
            default -> {
                int[] a = new int[size];
                for (int k = 0; k < width; k++) {
                    Column c = columns[k];
                    for (int i = 0; i < n; i++) {
                        a[i * width + k] = (int) c.tensor.doubleAt(c.at(i));
                    }
                }
                return OnnxTensor.createTensor(env, IntBuffer.wrap(a), shape);
            }
        }
    }

    private static boolean[][] column(boolean[] data) {
        boolean[][] out = new boolean[data.length][1];
        for (int i = 0; i < data.length; i++) {
            out[i][0] = data[i];
        }
        return out;
    }

}
