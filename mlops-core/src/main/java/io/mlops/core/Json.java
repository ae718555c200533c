package io.mlops.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
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
 *
 * <p><b>Limits.</b> Everything the library stores as JSON is written and read under the same
 * limits, so that whatever was accepted can be read again: nesting at most {@value #MAX_DEPTH}
 * levels, numbers of at most {@value #MAX_NUMBER_LENGTH} characters, strings of at most
 * {@value #MAX_STRING_LENGTH} characters. {@link #builder()} gives a mapper with exactly these
 * limits on both sides; {@link #write(Object, int, String)} checks a value against them (and a size
 * limit of the caller's) before it is stored.
 *
 * @since 0.1.0
 */
public final class Json {

    /** Deepest nesting of arrays and objects written or read. */
    public static final int MAX_DEPTH = 500;
    /** Longest number, in characters, written or read. */
    public static final int MAX_NUMBER_LENGTH = 1000;
    /** Longest string, in characters, read (Jackson's default); writers apply smaller size limits. */
    public static final int MAX_STRING_LENGTH = 20_000_000;

    /**
     * The streaming factory with the limits above: {@link #write} writes plain values with it alone,
     * without building the object mapper (a quarter of a second in a fresh JVM).
     */
    private static final JsonFactory FACTORY = factory();
    /** Whether flat values may be written without a generator (the factory writes them as by default). */
    private static final boolean FLAT = io.mlops.core.internal.text.PlainJson.writesAsFlat(FACTORY);

    /** The one mapper of plain JSON: the limits above, instants and durations as ISO-8601 text; made on first use. */
    private static final class Shared {
        static final ObjectMapper MAPPER = builder().addModule(textTimes()).build();
        static final com.fasterxml.jackson.databind.ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();
    }

    private Json() {
    }

    private static com.fasterxml.jackson.databind.module.SimpleModule textTimes() {
        return new com.fasterxml.jackson.databind.module.SimpleModule("mlops-times")
                .addSerializer(java.time.Instant.class, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance)
                .addSerializer(java.time.Duration.class, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance);
    }

    /** The reports' mapper (drift reports, dashboards), made when a report is first written. */
    private static final class Reports {
        static final ObjectMapper MAPPER = builder().addModule(textTimes())
                .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .propertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                .build();
    }

    /**
     * The library's shared mapper (the limits above; instants and durations written as ISO-8601
     * text), for the modules' own JSON. It is shared: never reconfigure it; use {@link #writer()},
     * {@link #prettyWriter()} or {@link #reader()} for per-call settings.
     *
     * @return the shared mapper
     */
    public static ObjectMapper mapper() {
        return Shared.MAPPER;
    }

    /** @return an immutable writer of the shared mapper */
    public static com.fasterxml.jackson.databind.ObjectWriter writer() {
        return Shared.MAPPER.writer();
    }

    /** @return an immutable writer of the shared mapper that indents */
    public static com.fasterxml.jackson.databind.ObjectWriter prettyWriter() {
        return Shared.PRETTY;
    }

    /** @return an immutable reader of the shared mapper */
    public static com.fasterxml.jackson.databind.ObjectReader reader() {
        return Shared.MAPPER.reader();
    }

    /**
     * A value as a report's JSON tree: record components in snake_case, instants and durations as
     * ISO-8601 text (drift reports and dashboards write with {@link #reportWriter()}).
     *
     * @param value the value
     * @return its tree
     */
    public static JsonNode reportTree(Object value) {
        return Reports.MAPPER.valueToTree(value);
    }

    /** @return an immutable writer of reports: indented, snake_case, instants and durations as text */
    public static com.fasterxml.jackson.databind.ObjectWriter reportWriter() {
        return Reports.MAPPER.writer();
    }

    /**
     * A mapper builder whose parser and generator apply the limits above, for every module that
     * stores JSON; callers add their own features.
     *
     * @return a new builder
     */
    public static JsonMapper.Builder builder() {
        return JsonMapper.builder(factory());
    }

    private static JsonFactory factory() {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .build())
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                // Schubfach for doubles and floats: the shortest text that reads back to the same value, without
                // Java 17's Double.toString (a fifth of a logged prediction's cost with 20 numeric features)
                .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
    }

    /**
     * Writes a value as JSON text that is certain to be readable again under the limits above.
     *
     * <p>Plain values are written by Jackson's streaming generator, without the object mapper;
     * the text is the mapper's for the same value.
     *
     * @param value {@code null}, a plain value, or anything Jackson can write
     * @param maxChars the longest text accepted
     * @param what what the value is, for messages (e.g. {@code "input"})
     * @return the JSON text
     * @throws IllegalArgumentException when the value cannot be written as JSON (a type Jackson
     *     cannot write, a cycle, nesting deeper than {@value #MAX_DEPTH}), its text is longer than
     *     {@code maxChars}, or it holds a number longer than {@value #MAX_NUMBER_LENGTH} characters
     */
    public static String write(Object value, int maxChars, String what) {
        String text = FLAT ? io.mlops.core.internal.text.PlainJson.flat(value) : null;
        if (text != null) {
            // a flat value's numbers are short and it nests nothing: only its size can pass a limit
            checkSize(text, maxChars, what);
            return text;
        }
        try {
            text = io.mlops.core.internal.text.PlainJson.write(FACTORY, value);
            if (text == null) {
                text = Shared.MAPPER.writeValueAsString(value);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " cannot be written as JSON: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException(what + " cannot be written as JSON: it is nested too deeply", e);
        }
        checkSize(text, maxChars, what);
        if (longestNumberRun(text) <= MAX_NUMBER_LENGTH) {
            // the writer already limits nesting, and every string is shorter than the text: only a
            // number could break a read limit, and none can be longer than this run
            return text;
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            while (p.nextToken() != null) {
                // the parser applies the read limits as it tokenises (number lengths among them)
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " cannot be read back as JSON: "
                    + (e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage()), e);
        }
        return text;
    }

    private static void checkSize(String text, int maxChars, String what) {
        if (text.length() > maxChars) {
            throw new IllegalArgumentException(what + " is " + text.length() + " characters as JSON, more than the limit of "
                    + maxChars);
        }
    }

    /** The longest run of characters that can make up a JSON number. */
    private static int longestNumberRun(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+') {
                run++;
                if (run > longest) {
                    longest = run;
                }
            } else {
                run = 0;
            }
        }
        return longest;
    }

    /**
     * Reads JSON text written by {@link #write} into plain Java values.
     *
     * @param text the text, or {@code null}
     * @return the plain value ({@code null} for {@code null})
     * @throws IOException when the text is not JSON or exceeds the limits
     */
    public static Object read(String text) throws IOException {
        if (text == null) {
            return null;
        }
        return io.mlops.core.internal.text.PlainJsonReader.read(FACTORY, text);
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
            node = Shared.MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("value of " + value.getClass().getName()
                    + " cannot be converted to JSON: " + e.getMessage(), e);
        }
        checkFinite(node);
        return node == null ? Shared.MAPPER.nullNode() : node;
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
