package io.mlops.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.core.internal.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The configuration of an ML pipeline: a tree of JSON values addressed by dotted paths such as
 * {@code model.hyperparameters.n_estimators}.
 *
 * <pre>{@code
 * MlopsConfig config = MlopsConfig.load(Path.of("config.json"))   // defaults deep-merged with the file
 *         .withEnvironment(System.getenv());                      // MLOPS_MODEL__VERSION=2.0.0 wins
 * int trees = config.getInt("model.hyperparameters.n_estimators");
 * config.with("model.version", "2.0.0").save(Path.of("out/config.json"));
 * }</pre>
 *
 * <p><b>Defaults.</b> {@link #defaults()} holds the reference pipeline's tree: {@code model}
 * (name, version, algorithm, hyperparameters), {@code data} (paths, validation split, target
 * column), {@code deployment} (environment, API version, rate limit, timeout) and
 * {@code monitoring} (drift and performance thresholds, alert address).
 *
 * <p><b>Merging.</b> {@link #load(Path)} merges the file into the defaults <em>deeply</em>: an object
 * in the file is merged key by key into the object at the same path, so a file holding only
 * {@code {"model": {"version": "2.0.0"}}} changes that one value and keeps every other model
 * default. Any other value (a number, a string, an array, {@code null}) replaces what was there.
 *
 * <p><b>Environment.</b> {@link #withEnvironment(Map)} applies variables named
 * {@code MLOPS_<SEGMENT>__<SEGMENT>…}: the prefix is dropped, {@code __} separates path segments
 * and segments are lower-cased, so {@code MLOPS_MODEL__HYPERPARAMETERS__MAX_DEPTH=12} sets
 * {@code model.hyperparameters.max_depth}. Where the value being replaced is a string, the variable
 * is taken as a string; otherwise it is read as JSON when it parses ({@code 12}, {@code 0.3},
 * {@code true}, {@code [1,2]}) and as a string when it does not.
 *
 * <p><b>Paths.</b> Segments are separated by {@code .}; keys containing a dot cannot be addressed.
 *
 * <p>Instances are immutable and thread-safe: {@link #with} and the merging methods return copies.
 *
 * @since 0.1.0
 */
public final class MlopsConfig {

    private static final com.fasterxml.jackson.databind.ObjectReader READER = Json.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The prefix of environment variables that {@link #withEnvironment} applies. */
    public static final String ENV_PREFIX = "MLOPS_";

    private static final ObjectNode DEFAULTS = buildDefaults();

    private final ObjectNode root; // never exposed, never mutated after construction

    private MlopsConfig(ObjectNode root) {
        this.root = root;
    }

    private static ObjectNode buildDefaults() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode r = f.objectNode();
        ObjectNode model = r.putObject("model");
        model.put("name", "default_model");
        model.put("version", "1.0.0");
        model.put("algorithm", "random_forest");
        ObjectNode hyper = model.putObject("hyperparameters");
        hyper.put("n_estimators", 100);
        hyper.put("max_depth", 10);
        hyper.put("random_state", 42);
        ObjectNode data = r.putObject("data");
        data.put("train_path", "data/train.csv");
        data.put("test_path", "data/test.csv");
        data.put("validation_split", 0.2);
        data.put("target_column", "target");
        ObjectNode deployment = r.putObject("deployment");
        deployment.put("environment", "staging");
        deployment.put("api_version", "v1");
        deployment.put("max_requests_per_minute", 1000);
        deployment.put("timeout_seconds", 30);
        ObjectNode monitoring = r.putObject("monitoring");
        monitoring.put("drift_threshold", 0.1);
        monitoring.put("performance_threshold", 0.85);
        monitoring.put("alert_email", "admin@company.com");
        return r;
    }

    /**
     * Returns the reference defaults.
     *
     * @return the default configuration
     */
    public static MlopsConfig defaults() {
        return new MlopsConfig(DEFAULTS.deepCopy());
    }

    /**
     * Reads a JSON file and merges it deeply into the defaults.
     *
     * @param json a file holding one JSON object
     * @return the defaults overridden by the file
     * @throws ConfigException when the file is missing, unreadable, not JSON (the message names the
     *     file, line and column) or not a JSON object
     */
    public static MlopsConfig load(Path json) {
        return defaults().merge(readObject(json));
    }

    /**
     * Like {@link #load(Path)}, for a file that is optional: the defaults when it does not exist.
     *
     * @param json a file holding one JSON object, or a path where there is none
     * @return the defaults, overridden by the file when it exists
     * @throws ConfigException when the file exists but is unreadable, not JSON or not a JSON object
     */
    public static MlopsConfig loadIfExists(Path json) {
        Objects.requireNonNull(json, "json");
        return java.nio.file.Files.exists(json) ? load(json) : defaults();
    }

    /**
     * Builds a configuration from a JSON object's text, merged deeply into the defaults.
     *
     * @param json the text of a JSON object
     * @return the defaults overridden by the text
     * @throws ConfigException when the text is not a JSON object (the message gives line and column)
     */
    public static MlopsConfig fromJson(String json) {
        Objects.requireNonNull(json, "json");
        return defaults().merge(parseObject(json, "configuration text"));
    }

    private static ObjectNode readObject(Path file) {
        Objects.requireNonNull(file, "json");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("Configuration file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ConfigException("Cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        return parseObject(text, "configuration file " + file);
    }

    private static ObjectNode parseObject(String text, String source) {
        JsonNode node;
        try {
            node = READER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException("Malformed JSON in " + source + where + ": " + e.getOriginalMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new ConfigException("Empty " + source + ": expected a JSON object");
        }
        if (!node.isObject()) {
            throw new ConfigException("The " + source + " must hold a JSON object but holds " + describe(node));
        }
        return (ObjectNode) node;
    }

    /**
     * Returns a copy with a JSON object merged deeply into this configuration.
     *
     * @param json a file holding one JSON object
     * @return this configuration overridden by the file
     * @throws ConfigException as {@link #load(Path)}
     */
    public MlopsConfig mergeFile(Path json) {
        return merge(readObject(json));
    }

    private MlopsConfig merge(ObjectNode overrides) {
        ObjectNode copy = root.deepCopy();
        deepMerge(copy, overrides);
        return new MlopsConfig(copy);
    }

    private static void deepMerge(ObjectNode target, ObjectNode overrides) {
        for (Map.Entry<String, JsonNode> e : overrides.properties()) {
            JsonNode existing = target.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject()) {
                deepMerge((ObjectNode) existing, (ObjectNode) e.getValue());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /**
     * Returns a copy with environment overrides applied (see the class description for the naming
     * and typing rules). Variables without the {@value #ENV_PREFIX} prefix are ignored.
     *
     * @param environment variables, typically {@link System#getenv()}
     * @return the overridden configuration
     * @throws ConfigException when a variable's name has an empty segment or a path crosses a value
     *     that is not an object
     */
    public MlopsConfig withEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        ObjectNode copy = root.deepCopy();
        // sorted, so that the outcome does not depend on the map's iteration order
        for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || name.length() == ENV_PREFIX.length() || e.getValue() == null) {
                continue;
            }
            String[] segments = name.substring(ENV_PREFIX.length()).split("__", -1);
            List<String> path = new ArrayList<>(segments.length);
            for (String s : segments) {
                if (s.isEmpty()) {
                    throw new ConfigException("Environment variable " + name
                            + " has an empty path segment (use '__' between segments, e.g. MLOPS_MODEL__VERSION)");
                }
                path.add(s.toLowerCase(Locale.ROOT));
            }
            JsonNode existing = lookup(copy, path);
            JsonNode value = existing != null && existing.isTextual()
                    ? JsonNodeFactory.instance.textNode(e.getValue())
                    : parseScalarOrText(e.getValue());
            set(copy, path, value, String.join(".", path));
        }
        return new MlopsConfig(copy);
    }

    private static JsonNode parseScalarOrText(String text) {
        try {
            JsonNode node = READER.readTree(text);
            if (node != null && !node.isMissingNode()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // not JSON: a plain string
        }
        return JsonNodeFactory.instance.textNode(text);
    }

    /**
     * Returns a copy with one value set, creating intermediate objects as needed.
     *
     * @param path a dotted path such as {@code model.version}
     * @param value a JSON-able value: {@code null}, a string, number, boolean, a {@link Map} or
     *     {@link List} of such values, or any object Jackson can convert
     * @return the changed copy; this instance is unchanged
     * @throws ConfigException when the path crosses a value that is not an object
     * @throws IllegalArgumentException when the path is malformed or the value cannot be converted
     */
    public MlopsConfig with(String path, Object value) {
        List<String> segments = segments(path);
        JsonNode node;
        try {
            node = Json.mapper().valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("value for '" + path + "' cannot be converted to JSON: " + e.getMessage(), e);
        }
        ObjectNode copy = root.deepCopy();
        set(copy, segments, node == null ? JsonNodeFactory.instance.nullNode() : node, path);
        return new MlopsConfig(copy);
    }

    private static void set(ObjectNode root, List<String> path, JsonNode value, String shown) {
        ObjectNode at = root;
        for (int i = 0; i < path.size() - 1; i++) {
            JsonNode next = at.get(path.get(i));
            if (next == null || next.isNull()) {
                next = at.putObject(path.get(i));
            } else if (!next.isObject()) {
                throw new ConfigException("Cannot set '" + shown + "': '" + String.join(".", path.subList(0, i + 1))
                        + "' is " + describe(next) + ", not an object");
            }
            at = (ObjectNode) next;
        }
        at.set(path.get(path.size() - 1), value);
    }

    /**
     * Writes this configuration as indented JSON, atomically, creating parent folders.
     *
     * @param json the file to write
     * @throws StorageException when the file cannot be written; an existing file is then unchanged
     */
    public void save(Path json) {
        Objects.requireNonNull(json, "json");
        try {
            AtomicFiles.write(json, Json.prettyWriter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new StorageException("Cannot save configuration to " + json + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the value at a path as plain Java: {@link String}, {@link Number}, {@link Boolean},
     * an unmodifiable {@link Map} or {@link List}.
     *
     * @param path a dotted path
     * @return the value, or empty when the path does not exist or holds JSON {@code null}
     */
    public Optional<Object> find(String path) {
        JsonNode node = lookup(root, segments(path));
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(Json.toPlain(node));
    }

    /**
     * Tells whether a path holds a value other than JSON {@code null}.
     *
     * @param path a dotted path
     * @return {@code true} when {@link #find} would return a value
     */
    public boolean has(String path) {
        return find(path).isPresent();
    }

    /**
     * Returns a string value.
     *
     * @param path a dotted path
     * @return the string
     * @throws ConfigException when the path is missing or holds another type (the message names both)
     */
    public String getString(String path) {
        JsonNode n = require(path);
        if (!n.isTextual()) {
            throw wrongType(path, "a string", n);
        }
        return n.textValue();
    }

    /**
     * Returns a whole number that fits in an {@code int}.
     *
     * @param path a dotted path
     * @return the number
     * @throws ConfigException when the path is missing, holds another type, a fraction or a number out
     *     of range
     */
    public int getInt(String path) {
        long v = getLong(path);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ConfigException("Configuration value '" + path + "' must be an int but is " + v + " (out of range)");
        }
        return (int) v;
    }

    /**
     * Returns a whole number that fits in a {@code long}.
     *
     * @param path a dotted path
     * @return the number
     * @throws ConfigException when the path is missing, holds another type, a fraction or a number out
     *     of range
     */
    public long getLong(String path) {
        JsonNode n = require(path);
        if (!n.isNumber()) {
            throw wrongType(path, "a whole number", n);
        }
        if (n.isIntegralNumber() ? n.canConvertToLong() : isWholeLong(n.doubleValue())) {
            return n.longValue();
        }
        throw new ConfigException("Configuration value '" + path + "' must be a whole number but is " + n.asText());
    }

    private static boolean isWholeLong(double d) {
        return d == Math.rint(d) && d >= Long.MIN_VALUE && d < 0x1p63;
    }

    /**
     * Returns a number.
     *
     * @param path a dotted path
     * @return the number as a double
     * @throws ConfigException when the path is missing or holds another type
     */
    public double getDouble(String path) {
        JsonNode n = require(path);
        if (!n.isNumber()) {
            throw wrongType(path, "a number", n);
        }
        return n.doubleValue();
    }

    /**
     * Returns a boolean.
     *
     * @param path a dotted path
     * @return the boolean
     * @throws ConfigException when the path is missing or holds another type
     */
    public boolean getBoolean(String path) {
        JsonNode n = require(path);
        if (!n.isBoolean()) {
            throw wrongType(path, "a boolean", n);
        }
        return n.booleanValue();
    }

    /**
     * Returns an object as an unmodifiable map of plain Java values (see {@link #find}).
     *
     * @param path a dotted path
     * @return the object's entries
     * @throws ConfigException when the path is missing or holds another type
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String path) {
        JsonNode n = require(path);
        if (!n.isObject()) {
            throw wrongType(path, "an object", n);
        }
        return (Map<String, Object>) Json.toPlain(n);
    }

    /**
     * @return the whole tree as an unmodifiable map of plain Java values
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> toMap() {
        return (Map<String, Object>) Json.toPlain(root);
    }

    /**
     * @return the whole tree as indented JSON
     */
    public String toJson() {
        try {
            return Json.prettyWriter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of plain JSON nodes always serialises
        }
    }

    private JsonNode require(String path) {
        JsonNode n = lookup(root, segments(path));
        if (n == null) {
            throw new ConfigException("No configuration value at '" + path + "'");
        }
        return n;
    }

    private static JsonNode lookup(ObjectNode root, List<String> path) {
        JsonNode at = root;
        for (String s : path) {
            if (at == null || !at.isObject()) {
                return null;
            }
            at = at.get(s);
        }
        return at;
    }

    private static List<String> segments(String path) {
        Objects.requireNonNull(path, "path");
        String[] parts = path.split("\\.", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("path must be dot-separated non-empty keys but was '" + path + "'");
            }
        }
        return List.of(parts);
    }

    private static ConfigException wrongType(String path, String expected, JsonNode found) {
        return new ConfigException("Configuration value '" + path + "' must be " + expected + " but is "
                + describe(found));
    }

    private static String describe(JsonNode n) {
        switch (n.getNodeType()) {
            case STRING:
                return "a string (\"" + n.textValue() + "\")";
            case NUMBER:
                return "a number (" + n.asText() + ")";
            case BOOLEAN:
                return "a boolean (" + n.asText() + ")";
            case ARRAY:
                return "an array";
            case OBJECT:
                return "an object";
            case NULL:
                return "null";
            default:
                return n.getNodeType().toString().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlopsConfig && root.equals(((MlopsConfig) o).root);
    }

    @Override
    public int hashCode() {
        return root.hashCode();
    }

    /**
     * @return the tree as indented JSON
     */
    @Override
    public String toString() {
        return toJson();
    }
}
