package io.mlops.core.internal.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes plain values (text, booleans, the JDK's number classes, and maps with text keys, lists
 * and arrays of them) with Jackson's streaming generator alone, so that the first prediction a
 * process logs does not wait for Jackson's object mapper to be built (about 450 classes, a quarter
 * of a second in a fresh JVM). The text is the one the object mapper writes for the same value:
 * both hand each value to the same generator calls. Anything else (records, beans, enums,
 * instants, {@code byte[]}, a map with a key that is not text) is left to the mapper. Reading is
 * {@link PlainJsonReader}'s. Stateless and thread-safe.
 */
public final class PlainJson {

    /** Thrown, without a stack trace, when a value is not plain; the caller falls back to the mapper. */
    private static final class NotPlain extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotPlain() {
            super(null, null, false, false);
        }
    }

    private static final NotPlain NOT_PLAIN = new NotPlain();

    private PlainJson() {
    }

    /**
     * @param factory the generator's factory (its limits and features apply)
     * @param value the value
     * @return its JSON text, or {@code null} when it is not plain (write it with the mapper)
     * @throws IOException when the generator refuses it (nesting deeper than its limit)
     */
    public static String write(JsonFactory factory, Object value) throws IOException {
        if (!isContainer(value)) {
            if (!isLeaf(value)) {
                return null;
            }
        }
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = factory.createGenerator(out)) {
            value(g, value);
        } catch (NotPlain e) {
            return null;
        }
        return out.toString();
    }

    /**
     * @param f a generator's factory
     * @return whether it writes text, numbers and names as the generator does by default: what
     *     {@link #flat} writes (decide once per factory)
     */
    public static boolean writesAsFlat(JsonFactory f) {
        return f.isEnabled(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                && f.isEnabled(JsonGenerator.Feature.QUOTE_FIELD_NAMES) && f.isEnabled(JsonGenerator.Feature.QUOTE_NON_NUMERIC_NUMBERS)
                && !f.isEnabled(JsonGenerator.Feature.ESCAPE_NON_ASCII) && !f.isEnabled(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS)
                && f.getCharacterEscapes() == null;
    }

    /**
     * The commonest logged values — a feature map of text, booleans and numbers, or one of them —
     * written without a generator: the text a generator of a factory that {@link #writesAsFlat}
     * writes for them (names and text that need no escaping, numbers by Jackson's own formatting).
     *
     * @param v the value
     * @return its JSON text when it is flat (one of the JDK's maps of text, booleans and the JDK's
     *     whole and floating-point numbers with text keys, or one such value, needing no escapes);
     *     else null. Its numbers are at most 25 characters long.
     */
    public static String flat(Object v) {
        if (v instanceof Map<?, ?> m && isContainer(m)) {
            StringBuilder b = new StringBuilder(16 + 24 * m.size());
            b.append('{');
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key) || !needsNoEscape(key)) {
                    return null;
                }
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append('"').append(key).append("\":");
                if (!leaf(b, e.getValue())) {
                    return null;
                }
            }
            return b.append('}').toString();
        }
        StringBuilder b = new StringBuilder(24);
        return leaf(b, v) ? b.toString() : null;
    }

    private static boolean leaf(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
            return true;
        }
        Class<?> c = v.getClass();
        if (c == String.class) {
            String s = (String) v;
            if (!needsNoEscape(s)) {
                return false;
            }
            b.append('"').append(s).append('"');
        } else if (c == Integer.class || c == Long.class || c == Short.class || c == Byte.class || c == Boolean.class) {
            b.append(v);
        } else if (c == Double.class) {
            double d = (Double) v;
            String text = com.fasterxml.jackson.core.io.NumberOutput.toString(d, true);
            quotedUnlessFinite(b, text, Double.isFinite(d));
        } else if (c == Float.class) {
            float f = (Float) v;
            String text = com.fasterxml.jackson.core.io.NumberOutput.toString(f, true);
            quotedUnlessFinite(b, text, Float.isFinite(f));
        } else {
            return false;
        }
        return true;
    }

    /** NaN and the infinities are written as text, as the generator writes them by default. */
    private static void quotedUnlessFinite(StringBuilder b, String text, boolean finite) {
        if (finite) {
            b.append(text);
        } else {
            b.append('"').append(text).append('"');
        }
    }

    /** Text the generator writes as it is: no control character, quote or backslash. */
    private static boolean needsNoEscape(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLeaf(Object v) {
        if (v == null) {
            return true;
        }
        Class<?> c = v.getClass();
        return c == String.class || c == Boolean.class || c == Integer.class || c == Long.class || c == Double.class
                || c == Float.class || c == Short.class || c == Byte.class || c == BigDecimal.class || c == BigInteger.class;
    }

    /** The JDK's maps and collections, whose serialisation no annotation can change; and arrays. */
    private static boolean isContainer(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Object[] || v instanceof double[] || v instanceof long[] || v instanceof int[] || v instanceof float[]) {
            return true;
        }
        return (v instanceof Map || v instanceof Collection) && v.getClass().getName().startsWith("java.util.");
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        Class<?> c = v.getClass();
        if (c == String.class) {
            g.writeString((String) v);
        } else if (c == Integer.class) {
            g.writeNumber((Integer) v);
        } else if (c == Double.class) {
            g.writeNumber((Double) v);
        } else if (c == Long.class) {
            g.writeNumber((Long) v);
        } else if (c == Boolean.class) {
            g.writeBoolean((Boolean) v);
        } else if (c == Float.class) {
            g.writeNumber((Float) v);
        } else if (c == Short.class) {
            g.writeNumber((Short) v);
        } else if (c == Byte.class) {
            g.writeNumber((int) (Byte) v);
        } else if (c == BigDecimal.class) {
            g.writeNumber((BigDecimal) v);
        } else if (c == BigInteger.class) {
            g.writeNumber((BigInteger) v);
        } else if (!isContainer(v)) {
            throw NOT_PLAIN;
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject(m, m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw NOT_PLAIN; // null or other keys: the mapper's key serialisers decide
                }
                g.writeFieldName(key);
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> l) {
            g.writeStartArray(l, l.size());
            for (Object x : l) {
                value(g, x);
            }
            g.writeEndArray();
        } else if (v instanceof Object[] a) {
            g.writeStartArray(a, a.length);
            for (Object x : a) {
                value(g, x);
            }
            g.writeEndArray();
        } else {
            primitiveArray(g, v);
        }
    }

    private static void primitiveArray(JsonGenerator g, Object v) throws IOException {
        if (v instanceof double[] a) {
            g.writeStartArray(a, a.length);
            for (double x : a) {
                g.writeNumber(x);
            }
        } else if (v instanceof long[] a) {
            g.writeStartArray(a, a.length);
            for (long x : a) {
                g.writeNumber(x);
            }
        } else if (v instanceof int[] a) {
            g.writeStartArray(a, a.length);
            for (int x : a) {
                g.writeNumber(x);
            }
        } else {
            float[] a = (float[]) v;
            g.writeStartArray(a, a.length);
            for (float x : a) {
                g.writeNumber(x);
            }
        }
        g.writeEndArray();
    }
}
