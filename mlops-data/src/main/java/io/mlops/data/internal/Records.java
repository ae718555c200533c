package io.mlops.data.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlops.core.internal.io.JsonRecords;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.core.ColumnType;
import io.mlops.core.Schema;
import io.mlops.data.DatasetVersion;
import io.mlops.data.spi.StoredVersion;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The stored JSON forms: version records and schema sidecars (format version 1; field names do
 * not change).
 */
final class Records {

    private static final JsonRecords READER = new JsonRecords("data-versioning record");

    private Records() {
    }

    static byte[] versionBytes(StoredVersion s) throws IOException {
        return JsonRecords.fileBytes(versionNode(s));
    }

    /** A version record as one compact JSON text (for a database column). */
    static String versionText(StoredVersion s) throws IOException {
        return JsonRecords.line(versionNode(s));
    }

    private static ObjectNode versionNode(StoredVersion s) {
        DatasetVersion v = s.version();
        ObjectNode n = JsonRecords.object();
        n.put("format", 1);
        n.put("id", v.id());
        n.put("name", v.name());
        n.put("sha256", v.sha256());
        n.put("createdAt", v.createdAt().toString());
        n.put("description", v.description());
        ArrayNode parents = n.putArray("parents");
        v.parents().forEach(parents::add);
        n.put("sizeBytes", v.sizeBytes());
        if (v.rowCount().isPresent()) {
            n.put("rowCount", v.rowCount().getAsLong());
        } else {
            n.putNull("rowCount");
        }
        ObjectNode tags = n.putObject("tags");
        v.tags().forEach(tags::put);
        n.put("blobSha256", s.blobSha256());
        n.put("schemaSha256", s.schemaSha256());
        n.put("storageFormat", s.format());
        n.put("fileName", s.fileName());
        if (!s.parts().isEmpty()) {
            ArrayNode parts = n.putArray("parts");
            for (StoredVersion.Part p : s.parts()) {
                parts.addObject().put("path", p.path()).put("sha256", p.sha256()).put("size", p.size());
            }
        }
        return n;
    }

    static StoredVersion version(byte[] bytes, String source) throws IOException {
        JsonNode n = READER.parse(bytes, source);
        List<String> parents = new ArrayList<>();
        n.path("parents").forEach(p -> parents.add(p.asText()));
        Map<String, String> tags = new LinkedHashMap<>();
        n.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        JsonNode rows = n.get("rowCount");
        DatasetVersion v = new DatasetVersion(READER.text(n, "id", source), READER.text(n, "name", source), READER.text(n, "sha256", source),
                Instant.parse(READER.text(n, "createdAt", source)), n.path("description").asText(""), parents,
                n.path("sizeBytes").asLong(), rows == null || rows.isNull() ? OptionalLong.empty() : OptionalLong.of(rows.asLong()),
                tags);
        List<StoredVersion.Part> parts = new ArrayList<>();
        for (JsonNode p : n.path("parts")) {
            parts.add(new StoredVersion.Part(READER.text(p, "path", source), READER.text(p, "sha256", source),
                    p.path("size").asLong()));
        }
        return new StoredVersion(v, READER.text(n, "blobSha256", source), JsonRecords.nullableText(n, "schemaSha256"),
                READER.text(n, "storageFormat", source), JsonRecords.nullableText(n, "fileName"), parts);
    }

    static byte[] schemaBytes(Schema schema, String format, long rows, String contentHash) throws IOException {
        ObjectNode n = JsonRecords.object();
        n.put("format", format);
        n.put("rowCount", rows);
        n.put("contentHash", contentHash);
        ArrayNode columns = n.putArray("columns");
        for (Schema.Column c : schema.columns()) {
            columns.addObject().put("name", c.name()).put("type", c.type().name());
        }
        return JsonRecords.fileBytes(n);
    }

    static Schema schema(byte[] bytes, String source) throws IOException {
        JsonNode n = READER.parse(bytes, source);
        List<Schema.Column> columns = new ArrayList<>();
        for (JsonNode c : n.path("columns")) {
            columns.add(new Schema.Column(c.path("name").asText(), ColumnType.valueOf(c.path("type").asText())));
        }
        return new Schema(columns);
    }
}
