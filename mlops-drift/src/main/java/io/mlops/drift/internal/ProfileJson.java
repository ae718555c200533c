package io.mlops.drift.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.core.ColumnType;
import io.mlops.core.ValidationException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Profile}'s JSON form (format 1): row count, PSI bins, and per column its name, type,
 * missing count and either its sorted finite values (little-endian doubles, Base64) or its category
 * counts. Its mapper is made when a profile is first written or read — a check never needs it, so
 * building a detector does not load Jackson. Stateless and thread-safe.
 */
final class ProfileJson {

    private static final ObjectMapper JSON = io.mlops.core.Json.builder().build();

    private ProfileJson() {
    }

    static String write(Profile profile) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        root.put("rowCount", profile.rowCount);
        root.put("psiBins", profile.psiBins);
        ArrayNode cols = root.putArray("columns");
        for (Profile.Column c : profile.columns.values()) {
            ObjectNode n = cols.addObject();
            n.put("name", c.name);
            n.put("type", c.type().name());
            n.put("missing", c.missing());
            if (c instanceof Profile.Numeric) {
                Profile.Numeric numeric = (Profile.Numeric) c;
                double[] v = numeric.sorted();
                ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                b.asDoubleBuffer().put(v);
                numeric.done(v);
                n.put("values", Base64.getEncoder().encodeToString(b.array()));
            } else {
                ObjectNode counts = n.putObject("counts");
                ((Profile.Categorical) c).counts.forEach(counts::put);
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Profile read(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || root.path("format").asInt() != 1) {
                throw new ValidationException("Not a drift reference profile (format 1)");
            }
            int psiBins = root.path("psiBins").asInt();
            Map<String, Profile.Column> columns = new LinkedHashMap<>();
            for (JsonNode n : root.path("columns")) {
                String name = n.path("name").asText();
                long missing = n.path("missing").asLong();
                if (ColumnType.valueOf(n.path("type").asText()) == ColumnType.NUMERIC) {
                    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(n.path("values").asText())).order(ByteOrder.LITTLE_ENDIAN);
                    double[] v = new double[b.remaining() / 8];
                    b.asDoubleBuffer().get(v);
                    columns.put(name, new Profile.Numeric(name, v, v.length + missing, psiBins));
                } else {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    n.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
                    columns.put(name, new Profile.Categorical(name, missing, counts));
                }
            }
            return new Profile(root.path("rowCount").asLong(), psiBins, columns);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ValidationException("Malformed drift reference profile: " + e.getMessage(), e);
        }
    }
}
