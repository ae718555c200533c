package io.mlops.monitor.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A logged input or output, taken at {@code log()}: either its JSON text, written on the caller's
 * thread, or — for the common flat values that are certain to be writable within the limits — a
 * copy written as JSON when first asked for, on the writer's thread. A feature map of text,
 * booleans and the JDK's number types, a single such value, or a list of them is copied (so that a
 * caller may reuse its map after {@code log()} returns); anything else (nesting, records,
 * {@code BigDecimal}, values that could pass the size limit) is written at once, so that a bad
 * value still fails its caller. Immutable once made; {@link #json()} may be called from any thread.
 */
final class Captured {

    /** Most entries of a map or list copied instead of written at once. */
    private static final int MAX_COPIED_ENTRIES = 1_024;
    /** The longest JSON text of one leaf number: {@code -9223372036854775808}, {@code -1.2345678901234567E-308}. */
    private static final int NUMBER_CHARS = 25;

    private final Object copy; // a leaf, a LinkedHashMap of leaves or an Object[] of leaves; null once written
    private volatile String json;

    private Captured(Object copy, String json) {
        this.copy = copy;
        this.json = json;
    }

    /**
     * @param value the caller's value (not null)
     * @param what {@code "input"} or {@code "output"}, for messages
     * @return the value, taken
     * @throws IllegalArgumentException when it cannot be stored (see {@link RecordChecks#json})
     */
    static Captured of(Object value, String what) {
        Object copy = copyOfFlat(value);
        return copy != null ? new Captured(copy, null) : new Captured(null, RecordChecks.json(value, what));
    }

    /** @return the JSON text of the value */
    String json() {
        String j = json;
        if (j == null) {
            j = RecordChecks.json(copy, "value");
            json = j;
        }
        return j;
    }

    /**
     * @return the copied value (a leaf or a map of leaves; a list as an array), or {@code null}
     *     when the value was written at once
     */
    Object copy() {
        return copy;
    }

    /** A copy of a flat plain value whose JSON text is certain to be within the limits, or null. */
    private static Object copyOfFlat(Object v) {
        int chars = leafChars(v);
        if (chars >= 0) {
            return chars <= RecordChecks.MAX_VALUE_CHARS ? v : null;
        }
        if (v instanceof Map<?, ?> m && m.size() <= MAX_COPIED_ENTRIES) {
            Map<String, Object> out = new LinkedHashMap<>(m.size() * 4 / 3 + 1);
            long total = 2;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object value = e.getValue();
                int c = leafChars(value);
                if (!(e.getKey() instanceof String key) || c < 0) {
                    return null;
                }
                total += 6L * key.length() + 4 + c;
                out.put(key, value);
            }
            return total <= RecordChecks.MAX_VALUE_CHARS && out.size() == m.size() ? out : null;
        }
        if (v instanceof Collection<?> l && l.size() <= MAX_COPIED_ENTRIES) {
            Object[] out = l.toArray();
            long total = 2;
            for (Object x : out) {
                int c = leafChars(x);
                if (c < 0) {
                    return null;
                }
                total += c + 1;
            }
            return total <= RecordChecks.MAX_VALUE_CHARS && out.length == l.size() ? out : null;
        }
        return null;
    }

    /** An upper bound on a leaf's JSON text, or -1 when it is not an immutable leaf of a known size. */
    private static int leafChars(Object v) {
        if (v == null) {
            return 4;
        }
        Class<?> c = v.getClass();
        if (c == String.class) {
            long n = 6L * ((String) v).length() + 2; // every character escaped as \\uXXXX at worst
            return (int) Math.min(n, Integer.MAX_VALUE - 1);
        }
        if (c == Integer.class || c == Long.class || c == Double.class || c == Float.class || c == Short.class
                || c == Byte.class) {
            return NUMBER_CHARS;
        }
        return c == Boolean.class ? 5 : -1;
    }
}
