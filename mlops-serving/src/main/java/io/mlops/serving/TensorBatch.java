package io.mlops.serving;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The inputs of one inference request as tensors, and how their columns name the model's
 * features: either one tensor per feature ({@code [N]} or {@code [N, 1]}, named as the feature),
 * or one {@code [N, F]} matrix whose columns are the features in order.
 *
 * <p>{@link #instances()} shows the same rows as feature maps, made one at a time when read, so a
 * predictor that only knows maps still works without the whole batch ever being boxed at once; a
 * predictor that can take tensors ({@link Predictor#predictTensors}) reads the primitive arrays
 * directly. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class TensorBatch {

    private final List<Tensor> tensors;
    private final List<String> features;
    private final Map<String, Integer> columnOf;
    private final boolean matrix;
    private final int rows;

    private TensorBatch(List<Tensor> tensors, List<String> features, boolean matrix) {
        this.tensors = List.copyOf(tensors);
        this.features = List.copyOf(features);
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < this.features.size(); i++) {
            index.putIfAbsent(this.features.get(i), i);
        }
        this.columnOf = index;
        this.matrix = matrix;
        this.rows = tensors.get(0).rows();
    }

    /**
     * One tensor per feature, each {@code [N]} or {@code [N, 1]} and named as its feature.
     *
     * @param tensors the tensors, at least one, with distinct names and the same number of rows
     * @return the batch
     * @throws IllegalArgumentException when a tensor is not a column, two share a name, or their
     *     rows differ
     */
    public static TensorBatch ofColumns(List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one tensor");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Tensor t : tensors) {
            if (t.columns() > 1 || t.shape().length > 2) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' is not a column ([N] or [N, 1])");
            }
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("two tensors are named '" + t.name() + "'");
            }
            if (t.rows() != tensors.get(0).rows()) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' has " + t.rows() + " rows but '"
                        + tensors.get(0).name() + "' has " + tensors.get(0).rows());
            }
        }
        return new TensorBatch(tensors, tensors.stream().map(Tensor::name).toList(), false);
    }

    /**
     * One {@code [N, F]} matrix whose columns are the named features, in order.
     *
     * @param matrix the tensor
     * @param features the features its columns hold, F of them
     * @return the batch
     * @throws IllegalArgumentException when the tensor is not two-dimensional or its width is not
     *     the number of features
     */
    public static TensorBatch ofMatrix(Tensor matrix, List<String> features) {
        Objects.requireNonNull(matrix, "matrix");
        if (matrix.shape().length != 2 || matrix.shape()[1] != features.size()) {
            throw new IllegalArgumentException("tensor '" + matrix.name() + "' of shape " + java.util.Arrays.toString(matrix.shape())
                    + " cannot hold the " + features.size() + " features " + features);
        }
        return new TensorBatch(List.of(matrix), features, true);
    }

    /** @return the tensors, in request order */
    public List<Tensor> tensors() {
        return tensors;
    }

    /**
     * Returns the tensor of a name.
     *
     * @param name the tensor's name
     * @return the tensor, or empty
     */
    public Optional<Tensor> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** @return whether the batch is one {@code [N, F]} matrix (else one tensor per feature) */
    public boolean isMatrix() {
        return matrix;
    }

    /** @return the features, in column order: the matrix's columns, or the tensors' names */
    public List<String> features() {
        return features;
    }

    /** @return the number of rows, N */
    public int rows() {
        return rows;
    }

    /**
     * Returns the rows as feature maps: a list view whose maps are made when read (numbers as
     * {@code Double} or {@code Long}, BOOL as {@code Boolean}, BYTES as {@code String}).
     *
     * @return the rows as an unmodifiable list of unmodifiable maps
     */
    public List<Map<String, Object>> instances() {
        return new AbstractList<>() {
            @Override
            public Map<String, Object> get(int row) {
                Objects.checkIndex(row, rows);
                return new Row(row);
            }

            @Override
            public int size() {
                return rows;
            }
        };
    }

    /** The value of feature {@code column} (in {@link #features()} order) in a row. */
    private Object value(int row, int column) {
        if (matrix) {
            return tensors.get(0).valueAt(row * features.size() + column);
        }
        return tensors.get(column).valueAt(row);
    }

    /** One row as an unmodifiable map, its values read from the tensors when asked for. */
    private final class Row extends AbstractMap<String, Object> {
        private final int row;

        Row(int row) {
            this.row = row;
        }

        @Override
        public Object get(Object key) {
            Integer column = columnOf.get(key);
            return column == null ? null : value(row, column);
        }

        @Override
        public boolean containsKey(Object key) {
            return columnOf.containsKey(key);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int column;

                        @Override
                        public boolean hasNext() {
                            return column < features.size();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (!hasNext()) {
                                throw new NoSuchElementException();
                            }
                            int c = column++;
                            return Map.entry(features.get(c), value(row, c));
                        }
                    };
                }

                @Override
                public int size() {
                    return features.size();
                }
            };
        }
    }

    @Override
    public String toString() {
        return "TensorBatch[" + rows + " rows, " + (matrix ? "matrix " : "columns ") + features + "]";
    }
}
