package io.mlops.core.internal.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.core.Json;

import java.io.IOException;

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

    private static final ObjectMapper MAPPER = Json.mapper();

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
        return MAPPER.createObjectNode();
    }

    /**
     * @return a new, empty array of records
     */
    public static ArrayNode array() {
        return MAPPER.createArrayNode();
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
            n = MAPPER.readTree(bytes);
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
}
