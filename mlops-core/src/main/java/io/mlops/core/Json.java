package io.mlops.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conversions between JSON trees and plain Java values, shared by the modules that store
 * user-supplied metadata.
 *
 * <p>"Plain" values are {@code null}, {@link String}, {@link Boolean}, {@link Number} (as Jackson
 * reads them: {@link Integer}, {@link Long}, {@link java.math.BigInteger}, {@link Double} or
 * {@link BigDecimal}), and unmodifiable {@link Map}s (insertion-ordered, string keys) and
 * {@link List}s of plain values. This class is stateless and thread-safe.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /**
     * Converts a JSON tree to plain Java values.
     *
     * @param node the tree; {@code null} gives {@code null}
     * @return the plain value
     */
    public static Object toPlain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            node.properties().forEach(e -> m.put(e.getKey(), toPlain(e.getValue())));
            return Collections.unmodifiableMap(m);
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>(node.size());
            node.forEach(x -> l.add(toPlain(x)));
            return Collections.unmodifiableList(l);
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        return node.asText();
    }

    /**
     * Converts any JSON-able value to a JSON tree.
     *
     * @param value {@code null}, a plain value, or anything Jackson can convert (records, beans)
     * @return the tree
     * @throws IllegalArgumentException when the value cannot be represented as JSON (the message
     *     says why), or holds a non-finite floating-point number
     */
    public static JsonNode toTree(Object value) {
        JsonNode node;
        try {
            node = MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("value of " + value.getClass().getName()
                    + " cannot be converted to JSON: " + e.getMessage(), e);
        }
        checkFinite(node);
        return node == null ? MAPPER.nullNode() : node;
    }

    private static void checkFinite(JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()) && !node.isBigDecimal()) {
            throw new IllegalArgumentException("JSON cannot hold the non-finite number " + node.doubleValue());
        }
        if (node.isContainerNode()) {
            node.forEach(Json::checkFinite);
        }
    }

    /**
     * Converts a JSON-able value to its plain form: what storing it as JSON and reading it back gives.
     *
     * @param value the value
     * @return the plain value
     * @throws IllegalArgumentException as {@link #toTree}
     */
    public static Object normalize(Object value) {
        return toPlain(toTree(value));
    }

    /**
     * Compares two plain values as JSON, numbers by value ({@code 1}, {@code 1L} and {@code 1.0}
     * are equal).
     *
     * @param a a plain value
     * @param b a plain value
     * @return {@code true} when they are equal as JSON
     */
    public static boolean jsonEquals(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            return decimal((Number) a).compareTo(decimal((Number) b)) == 0;
        }
        if (a instanceof Map && b instanceof Map) {
            Map<?, ?> ma = (Map<?, ?>) a;
            Map<?, ?> mb = (Map<?, ?>) b;
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!mb.containsKey(e.getKey()) || !jsonEquals(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List && b instanceof List) {
            List<?> la = (List<?>) a;
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!jsonEquals(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal) {
            return (BigDecimal) n;
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return new BigDecimal(n.toString());
    }
}
