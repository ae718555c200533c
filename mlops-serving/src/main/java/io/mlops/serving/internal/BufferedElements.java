package io.mlops.serving.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor's elements read before its datatype and shape (JSON objects have no order, so
 * {@code data} may come first): each kept in 9 bytes (a kind and 64 bits) rather than as an
 * object, then handed to a {@link TensorElements} once the datatype is known. Not thread-safe.
 */
final class BufferedElements implements InferRequestReader.Sink {

    private static final byte INTEGER = 0;
    private static final byte FLOATING = 1;
    private static final byte HUGE = 2;
    private static final byte TRUE = 3;
    private static final byte FALSE = 4;
    private static final byte STRING = 5;
    private static final byte NULL = 6;

    private byte[] kinds = new byte[64];
    private long[] bits = new long[64];
    private final List<String> texts = new ArrayList<>();
    private int count;

    int size() {
        return count;
    }

    private void add(byte kind, long value) {
        if (count == kinds.length) {
            int grown = kinds.length * 2;
            kinds = Arrays.copyOf(kinds, grown);
            bits = Arrays.copyOf(bits, grown);
        }
        kinds[count] = kind;
        bits[count++] = value;
    }

    @Override
    public void addInteger(long v) {
        add(INTEGER, v);
    }

    @Override
    public void addHugeInteger(String text) {
        add(HUGE, texts.size());
        texts.add(text);
    }

    @Override
    public void addFloating(double v) {
        add(FLOATING, Double.doubleToRawLongBits(v));
    }

    @Override
    public void addBoolean(boolean v) {
        add(v ? TRUE : FALSE, 0);
    }

    @Override
    public void addString(String v) {
        add(STRING, texts.size());
        texts.add(v);
    }

    @Override
    public void addNull() {
        add(NULL, 0);
    }

    /** Hands every element, in order, to the typed elements (which check them). */
    void replay(TensorElements into) throws HttpError {
        for (int i = 0; i < count; i++) {
            switch (kinds[i]) {
                case INTEGER -> into.addInteger(bits[i]);
                case FLOATING -> into.addFloating(Double.longBitsToDouble(bits[i]));
                case HUGE -> into.addHugeInteger(texts.get((int) bits[i]));
                case TRUE -> into.addBoolean(true);
                case FALSE -> into.addBoolean(false);
                case STRING -> into.addString(texts.get((int) bits[i]));
                default -> into.addNull();
            }
        }
    }
}
