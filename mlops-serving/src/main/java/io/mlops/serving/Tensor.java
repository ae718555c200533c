package io.mlops.serving;

import java.nio.DoubleBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * One named input tensor of an Open Inference Protocol request: its datatype, its shape and its
 * elements in row-major order, held in one primitive array ({@code double[]} for FP16, FP32, FP64
 * and BF16, {@code long[]} for the integer types, {@code boolean[]} for BOOL, {@code String[]} for
 * BYTES) rather than one object per element.
 *
 * <p>The factories take the array over without copying it, as {@link java.nio.ByteBuffer#wrap}
 * does: do not change it afterwards. Accessors never hand the array out (the bulk views are
 * read-only), so a tensor is immutable to its readers and safe to share between threads.
 *
 * @since 0.1.0
 */
public final class Tensor {

    /** The floating-point datatypes, held as {@code double[]}. */
    public static final Set<String> FLOATING = Set.of("FP16", "FP32", "FP64", "BF16");
    /** The integer datatypes, held as {@code long[]}. */
    public static final Set<String> INTEGER = Set.of("INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64");

    private final String name;
    private final String datatype;
    private final long[] shape;
    private final Object data;
    private final int size;

    private Tensor(String name, String datatype, long[] shape, Object data, int size) {
        this.name = Objects.requireNonNull(name, "name");
        this.datatype = datatype;
        this.shape = shape.clone();
        this.data = data;
        this.size = size;
        long product = 1;
        for (long d : this.shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in " + Arrays.toString(shape));
            }
            product = Math.multiplyExact(product, d);
        }
        if (this.shape.length == 0 || product != size) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + size + " elements but shape " + Arrays.toString(shape));
        }
    }

    /**
     * A floating-point tensor.
     *
     * @param name the tensor's name
     * @param datatype FP16, FP32, FP64 or BF16
     * @param shape its shape, at least one dimension
     * @param data its elements, row-major; taken over, not copied
     * @return the tensor
     * @throws IllegalArgumentException when the datatype is not floating-point or the shape does
     *     not hold exactly {@code data.length} elements
     */
    public static Tensor ofDoubles(String name, String datatype, long[] shape, double[] data) {
        require(FLOATING, datatype, name);
        return new Tensor(name, datatype, shape, data, data.length);
    }

    /**
     * An integer tensor.
     *
     * @param name the tensor's name
     * @param datatype one of {@link #INTEGER}
     * @param shape its shape, at least one dimension
     * @param data its elements, row-major; taken over, not copied
     * @return the tensor
     * @throws IllegalArgumentException when the datatype is not an integer type or the shape does
     *     not hold exactly {@code data.length} elements
     */
    public static Tensor ofLongs(String name, String datatype, long[] shape, long[] data) {
        require(INTEGER, datatype, name);
        return new Tensor(name, datatype, shape, data, data.length);
    }

    /**
     * A BOOL tensor.
     *
     * @param name the tensor's name
     * @param shape its shape, at least one dimension
     * @param data its elements, row-major; taken over, not copied
     * @return the tensor
     * @throws IllegalArgumentException when the shape does not hold exactly {@code data.length} elements
     */
    public static Tensor ofBooleans(String name, long[] shape, boolean[] data) {
        return new Tensor(name, "BOOL", shape, data, data.length);
    }

    /**
     * A BYTES tensor of strings.
     *
     * @param name the tensor's name
     * @param shape its shape, at least one dimension
     * @param data its elements, row-major, none null; taken over, not copied
     * @return the tensor
     * @throws IllegalArgumentException when the shape does not hold exactly {@code data.length} elements
     */
    public static Tensor ofStrings(String name, long[] shape, String[] data) {
        for (String s : data) {
            Objects.requireNonNull(s, "a BYTES element");
        }
        return new Tensor(name, "BYTES", shape, data, data.length);
    }

    private static void require(Set<String> allowed, String datatype, String name) {
        if (!allowed.contains(datatype)) {
            throw new IllegalArgumentException("tensor '" + name + "' has datatype " + datatype + "; expected one of " + allowed);
        }
    }

    /** @return the tensor's name */
    public String name() {
        return name;
    }

    /** @return the Open Inference Protocol datatype: BOOL, INT8..UINT64, FP16, FP32, FP64, BF16 or BYTES */
    public String datatype() {
        return datatype;
    }

    /** @return a copy of the shape */
    public long[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public int size() {
        return size;
    }

    /** @return the first dimension: the number of rows */
    public int rows() {
        return (int) shape[0];
    }

    /** @return the elements per row: the product of the dimensions after the first (1 for one dimension) */
    public int columns() {
        return shape[0] == 0 ? 0 : size / rows();
    }

    /** @return whether the elements are numbers (floating-point or integer) */
    public boolean isNumeric() {
        return data instanceof double[] || data instanceof long[];
    }

    /**
     * Returns one element as a double (numeric tensors).
     *
     * @param index the element's row-major index
     * @return the element
     * @throws IllegalStateException when the tensor is not numeric
     */
    public double doubleAt(int index) {
        if (data instanceof double[] d) {
            return d[index];
        }
        if (data instanceof long[] l) {
            return l[index];
        }
        throw new IllegalStateException("tensor '" + name + "' holds " + datatype + ", not numbers");
    }

    /**
     * Returns one element (integer tensors).
     *
     * @param index the element's row-major index
     * @return the element
     * @throws IllegalStateException when the tensor is not of an integer datatype
     */
    public long longAt(int index) {
        if (data instanceof long[] l) {
            return l[index];
        }
        throw new IllegalStateException("tensor '" + name + "' holds " + datatype + ", not integers");
    }

    /**
     * Returns one element (BOOL tensors).
     *
     * @param index the element's row-major index
     * @return the element
     * @throws IllegalStateException when the tensor is not BOOL
     */
    public boolean booleanAt(int index) {
        if (data instanceof boolean[] b) {
            return b[index];
        }
        throw new IllegalStateException("tensor '" + name + "' holds " + datatype + ", not booleans");
    }

    /**
     * Returns one element (BYTES tensors).
     *
     * @param index the element's row-major index
     * @return the element
     * @throws IllegalStateException when the tensor is not BYTES
     */
    public String stringAt(int index) {
        if (data instanceof String[] s) {
            return s[index];
        }
        throw new IllegalStateException("tensor '" + name + "' holds " + datatype + ", not strings");
    }

    /**
     * Returns one element boxed: a {@code Double}, {@code Long}, {@code Boolean} or {@code String}.
     *
     * @param index the element's row-major index
     * @return the element
     */
    public Object valueAt(int index) {
        if (data instanceof double[] d) {
            return d[index];
        }
        if (data instanceof long[] l) {
            return l[index];
        }
        if (data instanceof boolean[] b) {
            return b[index];
        }
        return ((String[]) data)[index];
    }

    /**
     * Returns the elements of a floating-point tensor as a read-only view (no copy).
     *
     * @return the elements, row-major
     * @throws IllegalStateException when the tensor is not floating-point
     */
    public DoubleBuffer doubles() {
        if (data instanceof double[] d) {
            return DoubleBuffer.wrap(d).asReadOnlyBuffer();
        }
        throw new IllegalStateException("tensor '" + name + "' holds " + datatype + ", not floating-point numbers");
    }

    /**
     * Returns the elements of an integer tensor as a read-only view (no copy).
     *
     * @return the elements, row-major
     * @throws IllegalStateException when the tensor is not of an integer datatype
     */
    public LongBuffer longs() {
        if (data instanceof long[] l) {
            return LongBuffer.wrap(l).asReadOnlyBuffer();
        }
        throw new IllegalStateException("tensor '" + name + "' holds " + datatype + ", not integers");
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + datatype + " " + Arrays.toString(shape) + "]";
    }
}
