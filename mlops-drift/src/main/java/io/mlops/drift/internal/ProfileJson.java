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
 * A {@link Profile}'s JSON forms: row count, PSI bins, and per column its name, type, missing count
 * and its category counts, or for a numeric column
 * <ul>
 *   <li>format 2 (the default, what is shipped): the count of its finite values, its mean,
 *       standard deviation and PSI bins (edges and proportions, computed from the exact values), and
 *       its quantile points ({@link QuantileSummary}: little-endian doubles, Base64) — no row; when
 *       the points and edges were estimated by a quantile sketch rather than picked from the sorted
 *       values (an out-of-core profile of a large source), {@code rankError}: the sketch's
 *       normalised rank error bound (absent: exact);</li>
 *   <li>format 1 ({@code toJson(true)}): its sorted finite values (little-endian doubles, Base64),
 *       every value exact.</li>
 * </ul>
 * Its mapper is made when a profile is first written or read — a check never needs it, so
 * building a detector does not load Jackson. Stateless and thread-safe.
 */
final class ProfileJson {

    private static final ObjectMapper JSON = io.mlops.core.Json.mapper();

    private ProfileJson() {
    }

    static String write(Profile profile, boolean withValues) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", withValues ? 1 : 2);
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
                try {
                    if (withValues) {
                        n.put("values", doubles(v));
                    } else {
                        Profile.Numeric.Stats stats = numeric.stats();
                        n.put("count", numeric.finiteCount());
                        n.put("mean", finiteOrNull(stats.mean()));
                        n.put("std", finiteOrNull(stats.std()));
                        n.set("edges", array(stats.edges()));
                        n.set("proportions", array(stats.proportions()));
                        n.put("quantiles", doubles(numeric.summarised() ? v : QuantileSummary.of(v)));
                        if (numeric.rankError() > 0) {
                            n.put("rankError", numeric.rankError());
                        }
                    }
                } finally {
                    numeric.done(v);
                }
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

    private static String doubles(double[] v) {
        return io.mlops.drift.stats.QuantilePoints.encode(v);
    }

    private static double[] doubles(String base64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(v);
        return v;
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static ArrayNode array(double[] v) {
        ArrayNode a = JSON.createArrayNode();
        for (double d : v) {
            a.add(d);
        }
        return a;
    }

    private static double[] array(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    /** A numeric column of format 2: quantile points and the statistics of the exact values. */
    private static Profile.Numeric summarised(String name, JsonNode n, long missing, long rows, int psiBins) {
        double[] points = doubles(n.path("quantiles").asText());
        long count = n.path("count").asLong();
        for (int i = 1; i < points.length; i++) {
            if (!(points[i - 1] <= points[i])) {
                throw new IllegalArgumentException("the quantiles of column '" + name + "' are not sorted and finite");
            }
        }
        if (count < points.length || (count == 0) != (points.length == 0)) {
            throw new IllegalArgumentException("column '" + name + "' summarises " + count + " values in " + points.length
                    + " points");
        }
        Profile.Numeric.Stats stats = new Profile.Numeric.Stats(missing, n.path("mean").isNumber() ? n.path("mean").asDouble()
                : Double.NaN, n.path("std").isNumber() ? n.path("std").asDouble() : Double.NaN, array(n.path("edges")),
                array(n.path("proportions")));
        double rankError = n.path("rankError").asDouble(0);
        if (!(rankError >= 0 && rankError < 1)) {
            throw new IllegalArgumentException("the rank error of column '" + name + "' is not in [0, 1)");
        }
        return new Profile.Numeric(name, points, count, rows, psiBins, stats, rankError);
    }

    static Profile read(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            int format = root == null ? 0 : root.path("format").asInt();
            if (format != 1 && format != 2 || !root.path("columns").isArray() || !root.path("rowCount").isIntegralNumber()) {
                throw new ValidationException("Not a drift reference profile (format 1 or 2, with rowCount and columns)");
            }
            int psiBins = root.path("psiBins").asInt();
            Map<String, Profile.Column> columns = new LinkedHashMap<>();
            for (JsonNode n : root.path("columns")) {
                String name = n.path("name").asText();
                long missing = n.path("missing").asLong();
                if (ColumnType.valueOf(n.path("type").asText()) == ColumnType.NUMERIC) {
                    if (format == 2) {
                        long count = n.path("count").asLong();
                        columns.put(name, summarised(name, n, missing, count + missing, psiBins));
                    } else {
                        double[] v = doubles(n.path("values").asText());
                        columns.put(name, new Profile.Numeric(name, v, v.length + missing, psiBins));
                    }
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
