package io.mlops.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mlops.core.internal.io.JsonRecords;
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

    /** Event lines whose effects are recovered from them (index lines with offsets); older lines have none. */
    static final int EVENT_FORMAT = 2;
    private static final JsonRecords READER = new JsonRecords("registry record");

    private RecordJson() {
    }

    static byte[] versionBytes(ModelVersion v) throws IOException {
        return JsonRecords.fileBytes(versionNode(v));
    }

    /** A version record as one compact JSON text (for a database column). */
    static String versionText(ModelVersion v) throws JsonProcessingException {
        return JsonRecords.line(versionNode(v));
    }

    private static ObjectNode versionNode(ModelVersion v) {
        ObjectNode n = JsonRecords.object();
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
        return version(READER.parseObject(bytes, source), source);
    }

    /** The version record an event line carries ({@link #eventLine(RegistryEvent, ModelVersion)}). */
    static ModelVersion recordOfEvent(String line, String source) throws IOException {
        Object record = READER.parseObject(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), source).get("record");
        if (record == null) {
            throw new IOException("Corrupt registry record " + source + ": the event carries no version record");
        }
        if (!(record instanceof Map<?, ?>)) {
            throw new IOException("Corrupt registry record " + source + ": not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) record;
        return version(fields, source);
    }

    /**
     * A version record read as plain values (streaming: the first load of a fresh process does not
     * build the object mapper), field by field as the tree reading before it did.
     */
    @SuppressWarnings("unchecked")
    private static ModelVersion version(Map<String, Object> n, String source) throws IOException {
        Map<String, String> tags = new LinkedHashMap<>();
        if (n.get("tags") instanceof Map<?, ?> t) {
            t.forEach((k, v) -> tags.put((String) k, JsonRecords.asText(v)));
        }
        Object metadata = n.get("metadata");
        return new ModelVersion(READER.text(n, "name", source), READER.text(n, "version", source), READER.text(n, "sha256", source),
                asLong(n.get("sizeBytes")), io.mlops.core.internal.text.InstantText.parse(READER.text(n, "registeredAt", source)),
                metadata instanceof Map<?, ?> ? (Map<String, Object>) metadata : Map.of(), tags);
    }

    /** A value as Jackson's {@code asLong()} gives it: a number's long value, text parsed, else 0. */
    private static long asLong(Object v) {
        if (v instanceof Number x) {
            return x.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return v instanceof Boolean b && b ? 1 : 0;
    }

    static ObjectNode aliasChange(AliasChange c) {
        ObjectNode n = JsonRecords.object();
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
        return new AliasChange(READER.text(n, "model", source), READER.text(n, "alias", source), JsonRecords.nullableText(n, "from"),
                JsonRecords.nullableText(n, "to"), io.mlops.core.internal.text.InstantText.parse(READER.text(n, "at", source)), JsonRecords.nullableText(n, "actor"),
                JsonRecords.nullableText(n, "reason"));
    }

    static String eventLine(RegistryEvent e) throws JsonProcessingException {
        return eventLine(e, null);
    }

    /** An event's audit line; a registration's carries its version record, which makes it the commit record. */
    static String eventLine(RegistryEvent e, ModelVersion record) throws JsonProcessingException {
        return eventLine(e, record, null);
    }

    /** The signature envelope a {@code SIGNED} event's line carries, or null. */
    static String signature(String line, String source) throws IOException {
        return JsonRecords.nullableText(READER.parseObject(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), source), "signature");
    }

    /** An event's audit line, carrying a registration's version record or a signing's envelope (the commit record). */
    static String eventLine(RegistryEvent e, ModelVersion record, String signature) throws JsonProcessingException {
        ObjectNode n = JsonRecords.object();
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
        if (e.chainHash() != null) {
            n.put("chain", e.chainHash());
        }
        if (record != null) {
            n.set("record", versionNode(record));
        }
        if (signature != null) {
            n.put("signature", signature);
        }
        return JsonRecords.line(n);
    }

    /**
     * Reads an audit line written as a commit record (format 2), whose effects can be redone from it.
     *
     * @return the event, or empty for a line written before commit records
     */
    static java.util.Optional<RegistryEvent> commitRecord(String line, String source) throws IOException {
        Map<String, Object> n = READER.parseObject(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), source);
        return n.get("format") instanceof Number f && f.intValue() == EVENT_FORMAT ? java.util.Optional.of(event(n, source))
                : java.util.Optional.empty();
    }

    static RegistryEvent event(String line, String source) throws IOException {
        return event(READER.parseObject(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), source), source);
    }

    private static RegistryEvent event(Map<String, Object> n, String source) throws IOException {
        return new RegistryEvent(RegistryEvent.Type.valueOf(READER.text(n, "type", source)), READER.text(n, "model", source),
                JsonRecords.nullableText(n, "version"), JsonRecords.nullableText(n, "alias"), JsonRecords.nullableText(n, "previousVersion"),
                io.mlops.core.internal.text.InstantText.parse(READER.text(n, "at", source)), JsonRecords.nullableText(n, "actor"), JsonRecords.nullableText(n, "reason"),
                JsonRecords.nullableText(n, "chain"));
    }

    static JsonNode parse(byte[] bytes, String source) throws IOException {
        return READER.parse(bytes, source);
    }
}
