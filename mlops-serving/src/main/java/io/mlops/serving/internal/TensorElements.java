package io.mlops.serving.internal;

import io.mlops.serving.Tensor;

import java.util.Arrays;

/**
 * One tensor's elements as they are read, checked against its datatype and stored in one
 * primitive array: integers in the datatype's range (INT8 300, UINT8 -1 or 256, INT32 3e9 are
 * refused), floating-point numbers finite and within the datatype's range (FP16 to 65504, BF16 and
 * FP32 to about 3.4e38), booleans for BOOL and strings for BYTES. The array has the size the shape
 * says, so it never grows, and an element beyond it is refused at once. Not thread-safe: one per
 * tensor being read.
 */
final class TensorElements implements InferRequestReader.Sink {

    /** The largest finite values of the narrow floating-point types. */
    private static final double FP16_MAX = 65504;
    private static final double BF16_MAX = 0x1.fep127;

    private final String name;
    private final String datatype;
    private final int capacity;
    private final double[] doubles;
    private final long[] longs;
    private final boolean[] booleans;
    private final String[] strings;
    private int count;

    TensorElements(String name, String datatype, int capacity) {
        this.name = name;
        this.datatype = datatype;
        this.capacity = capacity;
        boolean floating = Tensor.FLOATING.contains(datatype);
        boolean integer = Tensor.INTEGER.contains(datatype);
        this.doubles = floating ? new double[capacity] : null;
        this.longs = integer ? new long[capacity] : null;
        this.booleans = datatype.equals("BOOL") ? new boolean[capacity] : null;
        this.strings = datatype.equals("BYTES") ? new String[capacity] : null;
    }

    private HttpError error(String what) {
        return new HttpError(400, "input '" + name + "' element " + count + " " + what, name);
    }

    /** Makes room for one more element; 400 when the shape holds no more. */
    private void next() throws HttpError {
        if (count == capacity) {
            throw new HttpError(400, "input '" + name + "' has more elements than its shape holds (" + capacity + ")", name);
        }
    }

    @Override
    public void addInteger(long v) throws HttpError {
        next();
        if (longs != null) {
            if (!inRange(v)) {
                throw error("must be a whole number in range for " + datatype + " " + range() + " but was " + v);
            }
            longs[count++] = v;
        } else if (doubles != null) {
            storeFloating(v);
        } else {
            throw wrongKind("a number");
        }
    }

    @Override
    public void addHugeInteger(String text) throws HttpError {
        next();
        if (longs != null) {
            throw error("must be a whole number in range for " + datatype + " " + range() + " but was " + abbreviated(text));
        }
        if (doubles != null) {
            storeFloating(Double.parseDouble(text));
            return;
        }
        throw wrongKind("a number");
    }

    @Override
    public void addFloating(double v) throws HttpError {
        next();
        if (longs != null) {
            throw error("must be a whole number in range for " + datatype + " " + range() + " but was " + v);
        }
        storeFloating(v);
    }

    /** Stores a number in a floating-point tensor (infinite when it was beyond the double range). */
    private void storeFloating(double v) throws HttpError {
        if (doubles == null) {
            throw wrongKind("a number");
        }
        double limit = switch (datatype) {
            case "FP16" -> FP16_MAX;
            case "BF16" -> BF16_MAX;
            case "FP32" -> Float.MAX_VALUE;
            default -> Double.MAX_VALUE;
        };
        if (!(Math.abs(v) <= limit)) {
            throw error("must be a finite number in range for " + datatype + " (magnitude at most " + limit + ") but was "
                    + (Double.isFinite(v) ? String.valueOf(v) : "beyond the double range"));
        }
        doubles[count++] = v;
    }

    @Override
    public void addBoolean(boolean v) throws HttpError {
        next();
        if (booleans == null) {
            throw wrongKind("a boolean");
        }
        booleans[count++] = v;
    }

    @Override
    public void addString(String v) throws HttpError {
        next();
        if (strings == null) {
            throw wrongKind("a string");
        }
        strings[count++] = v;
    }

    @Override
    public void addNull() throws HttpError {
        next();
        throw wrongKind("null");
    }

    private HttpError wrongKind(String was) {
        String expected = doubles != null || longs != null ? "a number" : booleans != null ? "true or false" : "a string";
        return error("must be " + expected + " for " + datatype + " but was " + was);
    }

    private boolean inRange(long v) {
        return switch (datatype) {
            case "INT8" -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
            case "INT16" -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
            case "INT32" -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
            case "UINT8" -> v >= 0 && v <= 0xFF;
            case "UINT16" -> v >= 0 && v <= 0xFFFF;
            case "UINT32" -> v >= 0 && v <= 0xFFFF_FFFFL;
            case "UINT64" -> v >= 0;
            default -> true; // INT64
        };
    }

    private String range() {
        return switch (datatype) {
            case "INT8" -> "[-128, 127]";
            case "INT16" -> "[-32768, 32767]";
            case "INT32" -> "[-2147483648, 2147483647]";
            case "UINT8" -> "[0, 255]";
            case "UINT16" -> "[0, 65535]";
            case "UINT32" -> "[0, 4294967295]";
            case "UINT64" -> "[0, 9223372036854775807] (this server's UINT64 range)";
            default -> "[-9223372036854775808, 9223372036854775807]";
        };
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 20) + "..." + text.substring(text.length() - 10);
    }

    /** The tensor; 400 when fewer elements came than its shape holds. */
    Tensor build(long[] shape) throws HttpError {
        if (count != capacity) {
            throw new HttpError(400, "input '" + name + "' has " + count + " elements but its shape " + Arrays.toString(shape)
                    + " needs " + capacity, name);
        }
        if (doubles != null) {
            return Tensor.ofDoubles(name, datatype, shape, doubles);
        }
        if (longs != null) {
            return Tensor.ofLongs(name, datatype, shape, longs);
        }
        if (booleans != null) {
            return Tensor.ofBooleans(name, shape, booleans);
        }
        return Tensor.ofStrings(name, shape, strings);
    }
}
