package io.mlops.core.internal.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.core.Json;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The one codec base of the small JSON records the stores keep (version records, schema sidecars,
 * alias histories, audit lines): new trees, their stored forms (indented bytes for a file, one
 * compact line for a database column or a log), and reading with errors that name the record and
 * the field: a damaged record is an {@link IOException} saying so, never a
 * {@link NullPointerException} later. Each module keeps only the field names of its own records.
 * Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class JsonRecords {

    private final String kind;

    /**
     * Creates a reader.
     *
     * @param kind what the records are, for messages (e.g. {@code "registry record"})
     */
    public JsonRecords(String kind) {
        this.kind = kind;
    }

    /**
     * @return a new, empty record
     */
    public static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }

    /**
     * @return a new, empty array of records
     */
    public static ArrayNode array() {
        return Json.mapper().createArrayNode();
    }

    /**
     * @param record a record
     * @return its form in a file of its own: indented UTF-8 JSON
     * @throws JsonProcessingException when it cannot be written
     */
    public static byte[] fileBytes(JsonNode record) throws JsonProcessingException {
        return Json.prettyWriter().writeValueAsBytes(record);
    }

    /**
     * @param record a record
     * @return its form in a database column or a line of a log: one compact line of JSON
     * @throws JsonProcessingException when it cannot be written
     */
    public static String line(JsonNode record) throws JsonProcessingException {
        return Json.writer().writeValueAsString(record);
    }

    /**
     * @param bytes the record's bytes
     * @param source where it was read from, for messages
     * @return the parsed tree, never a missing node
     * @throws IOException when the bytes are not JSON or empty
     */
    public JsonNode parse(byte[] bytes, String source) throws IOException {
        JsonNode n;
        try {
            n = Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException("Corrupt " + kind + " " + source + ": " + e.getOriginalMessage(), e);
        }
        if (n == null || n.isMissingNode()) {
            throw new IOException("Corrupt " + kind + " " + source + ": empty");
        }
        return n;
    }

    /**
     * @param n a record
     * @param field a field that must hold text
     * @param source where the record was read from
     * @return the text
     * @throws IOException when the field is missing or not text
     */
    public String text(JsonNode n, String field, String source) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("Corrupt " + kind + " " + source + ": field '" + field + "' is missing");
        }
        return v.textValue();
    }

    /**
     * @param n a record
     * @param field an optional field
     * @return its text, or null when it is missing or JSON null
     */
    public static String nullableText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * Reads a record as plain values with Jackson's streaming parser alone (no object mapper, no
     * tree): the read path of records a fresh process meets first (a version's record on its first
     * load), which the object mapper's construction would otherwise hold up by a quarter of a second.
     *
     * @param bytes the record's bytes
     * @param source where it was read from, for messages
     * @return its fields: unmodifiable, nested maps and lists too
     * @throws IOException when the bytes are not JSON, empty, or not an object
     */
    public Map<String, Object> parseObject(byte[] bytes, String source) throws IOException {
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new IOException("Corrupt " + kind + " " + source + ": empty");
        }
        Object v;
        try {
            v = Json.read(text);
        } catch (JsonProcessingException e) {
            throw new IOException("Corrupt " + kind + " " + source + ": " + e.getOriginalMessage(), e);
        }
        if (!(v instanceof Map)) {
            throw new IOException("Corrupt " + kind + " " + source + ": not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) frozen(v);
        return m;
    }

    private static Object frozen(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, frozen(x)));
            return java.util.Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new java.util.ArrayList<>(l.size());
            l.forEach(x -> out.add(frozen(x)));
            return java.util.Collections.unmodifiableList(out);
        }
        return v;
    }

    /**
     * @param m a record read by {@link #parseObject}
     * @param field a field that must hold text
     * @param source where the record was read from
     * @return the text
     * @throws IOException when the field is missing or not text
     */
    public String text(Map<String, Object> m, String field, String source) throws IOException {
        if (!(m.get(field) instanceof String v)) {
            throw new IOException("Corrupt " + kind + " " + source + ": field '" + field + "' is missing");
        }
        return v;
    }

    /**
     * @param m a record read by {@link #parseObject}
     * @param field an optional field
     * @return its text as {@link #nullableText(JsonNode, String)} reads it from a tree: null when
     *     missing or JSON null
     */
    public static String nullableText(Map<String, Object> m, String field) {
        Object v = m.get(field);
        return v == null ? null : asText(v);
    }

    /**
     * @param v a plain value
     * @return it as Jackson's {@code asText()} gives it: text as is, numbers and booleans as text,
     *     "null" for JSON null, "" for an object or array
     */
    public static String asText(Object v) {
        if (v == null) {
            return "null";
        }
        return v instanceof Map || v instanceof List ? "" : v.toString();
    }
}
