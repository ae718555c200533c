package io.mlops.core.internal.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes plain values (text, booleans, the JDK's number classes, and maps with text keys, lists
 * and arrays of them) with Jackson's streaming generator alone, so that the first prediction a
 * process logs does not wait for Jackson's object mapper to be built (about 450 classes, a quarter
 * of a second in a fresh JVM). The text is the one the object mapper writes for the same value:
 * both hand each value to the same generator calls. Anything else (records, beans, enums,
 * instants, {@code byte[]}, a map with a key that is not text) is left to the mapper. Reads JSON
 * text into the values the object mapper reads for {@code Object.class} ({@link #read}). Stateless
 * and thread-safe.
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

    /**
     * Reads one JSON value as the object mapper reads it into {@code Object.class}: objects as
     * {@link LinkedHashMap}s (a repeated key keeps its last value), arrays as {@link ArrayList}s,
     * whole numbers as {@link Integer}, {@link Long} or {@link BigInteger} by size, other numbers as
     * {@link Double}; what follows the value is not read.
     *
     * @param factory the parser's factory (its limits apply)
     * @param text the text
     * @return the value
     * @throws IOException when the text is not JSON, is empty, or passes the factory's limits
     */
    public static Object read(JsonFactory factory, String text) throws IOException {
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JsonParseException(p, "No content to map due to end-of-input");
            }
            return value(p, t);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
                    l.add(value(p, x));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new JsonParseException(p, "Unexpected token " + t);
        }
    }
}
