package io.mlops.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mlops.core.internal.io.JsonRecords;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.core.Json;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored JSON form of the registry's records. Field names are part of the on-disk format
 * (version 1) and do not change; times are ISO-8601 UTC with full precision.
 */
final class RecordJson {

    static final ObjectMapper MAPPER = JsonRecords.mapper();
    /** Event lines whose effects are recovered from them (index lines with offsets); older lines have none. */
    static final int EVENT_FORMAT = 2;
    private static final JsonRecords READER = new JsonRecords("registry record");

    private RecordJson() {
    }

    static byte[] versionBytes(ModelVersion v) throws IOException {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(versionNode(v));
    }

    /** A version record as one compact JSON text (for a database column). */
    static String versionText(ModelVersion v) throws JsonProcessingException {
        return MAPPER.writeValueAsString(versionNode(v));
    }

    private static ObjectNode versionNode(ModelVersion v) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", 1);
        n.put("name", v.name());
        n.put("version", v.version());
        n.put("sha256", v.sha256());
        n.put("sizeBytes", v.sizeBytes());
        n.put("registeredAt", v.registeredAt().toString());
        n.set("metadata", Json.toTree(v.metadata()));
        n.set("tags", Json.toTree(v.tags()));
        return n;
    }

    static ModelVersion version(byte[] bytes, String source) throws IOException {
        return version(parse(bytes, source), source);
    }

    /** The version record an event line carries ({@link #eventLine(RegistryEvent, ModelVersion)}). */
    static ModelVersion recordOfEvent(String line, String source) throws IOException {
        JsonNode record = parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), source).get("record");
        if (record == null) {
            throw new IOException("Corrupt registry record " + source + ": the event carries no version record");
        }
        return version(record, source);
    }

    @SuppressWarnings("unchecked")
    private static ModelVersion version(JsonNode n, String source) throws IOException {
        if (!n.isObject()) {
            throw new IOException("Corrupt registry record " + source + ": not a JSON object");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        n.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        return new ModelVersion(text(n, "name", source), text(n, "version", source), text(n, "sha256", source),
                n.path("sizeBytes").asLong(), Instant.parse(text(n, "registeredAt", source)),
                (Map<String, Object>) Json.toPlain(n.path("metadata").isObject() ? n.get("metadata") : MAPPER.createObjectNode()),
                tags);
    }

    static ObjectNode aliasChange(AliasChange c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("model", c.model());
        n.put("alias", c.alias());
        n.put("from", c.from());
        n.put("to", c.to());
        n.put("at", c.at().toString());
        n.put("actor", c.actor());
        if (c.reason() != null) {
            n.put("reason", c.reason());
        }
        return n;
    }

    static AliasChange aliasChange(JsonNode n, String source) throws IOException {
        return new AliasChange(text(n, "model", source), text(n, "alias", source), nullableText(n, "from"),
                nullableText(n, "to"), Instant.parse(text(n, "at", source)), nullableText(n, "actor"),
                nullableText(n, "reason"));
    }

    static String eventLine(RegistryEvent e) throws JsonProcessingException {
        return eventLine(e, null);
    }

    /** An event's audit line; a registration's carries its version record, which makes it the commit record. */
    static String eventLine(RegistryEvent e, ModelVersion record) throws JsonProcessingException {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", EVENT_FORMAT);
        n.put("type", e.type().name());
        n.put("model", e.model());
        n.put("version", e.version());
        n.put("alias", e.alias());
        n.put("previousVersion", e.previousVersion());
        n.put("at", e.at().toString());
        n.put("actor", e.actor());
        if (e.reason() != null) {
            n.put("reason", e.reason());
        }
        if (record != null) {
            n.set("record", versionNode(record));
        }
        return MAPPER.writeValueAsString(n);
    }

    /**
     * Reads an audit line written as a commit record (format 2), whose effects can be redone from it.
     *
     * @return the event, or empty for a line written before commit records
     */
    static java.util.Optional<RegistryEvent> commitRecord(String line, String source) throws IOException {
        JsonNode n = parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), source);
        return n.path("format").asInt() == EVENT_FORMAT ? java.util.Optional.of(event(n, source)) : java.util.Optional.empty();
    }

    static RegistryEvent event(String line, String source) throws IOException {
        return event(parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), source), source);
    }

    private static RegistryEvent event(JsonNode n, String source) throws IOException {
        return new RegistryEvent(RegistryEvent.Type.valueOf(text(n, "type", source)), text(n, "model", source),
                nullableText(n, "version"), nullableText(n, "alias"), nullableText(n, "previousVersion"),
                Instant.parse(text(n, "at", source)), nullableText(n, "actor"), nullableText(n, "reason"));
    }

    static JsonNode parse(byte[] bytes, String source) throws IOException {
        return READER.parse(bytes, source);
    }

    private static String text(JsonNode n, String field, String source) throws IOException {
        return READER.text(n, field, source);
    }

    private static String nullableText(JsonNode n, String field) {
        return JsonRecords.nullableText(n, field);
    }
}
