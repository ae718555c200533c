package io.mlops.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The features a model expects, so the server can reject bad input with a 400 naming the field
 * before the model runs.
 *
 * <pre>{@code
 * FeatureSchema schema = FeatureSchema.builder().number("age").number("tenure_months")
 *         .string("contract").optionalNumber("support_calls").build();
 * }</pre>
 *
 * @param features the features in order
 * @since 0.1.0
 */
public record FeatureSchema(List<Feature> features) {

    /** A feature's JSON type. */
    public enum Type {
        /** A JSON number. */
        NUMBER,
        /** A JSON string. */
        STRING,
        /** A JSON boolean. */
        BOOLEAN
    }

    /**
     * One feature.
     *
     * @param name its name
     * @param type its JSON type
     * @param required whether it must be present (and not null)
     */
    public record Feature(String name, Type type, boolean required) {
        /**
         * Validates the components.
         *
         * @param name the name
         * @param type the type
         * @param required whether required
         */
        public Feature {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * Copies the list.
     *
     * @param features the features
     */
    public FeatureSchema {
        features = List.copyOf(features);
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks an instance.
     *
     * @param instance the features of one request
     * @return the first problem as (field, message), or empty when the instance is valid
     */
    public Optional<Map.Entry<String, String>> check(Map<String, Object> instance) {
        for (Feature f : features) {
            Object v = instance.get(f.name());
            if (v == null) {
                if (f.required()) {
                    return Optional.of(Map.entry(f.name(), "missing required feature '" + f.name() + "'"));
                }
                continue;
            }
            boolean ok = switch (f.type()) {
                case NUMBER -> v instanceof Number;
                case STRING -> v instanceof String;
                case BOOLEAN -> v instanceof Boolean;
            };
            if (!ok) {
                return Optional.of(Map.entry(f.name(), "feature '" + f.name() + "' must be a "
                        + f.type().name().toLowerCase(java.util.Locale.ROOT) + " but was " + describe(v)));
            }
        }
        return Optional.empty();
    }

    private static String describe(Object v) {
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        return v.getClass().getSimpleName();
    }

    /**
     * Describes how another schema differs from this one, feature by feature: those added, those
     * removed, and those whose type or requiredness changed (in this schema's order, then the new
     * ones in theirs). A server following an alias uses it to say that a new version takes other
     * features than the one it replaces.
     *
     * @param other the schema to compare with
     * @return one line per difference; empty when both take the same features
     * @since 0.1.0
     */
    public List<String> differences(FeatureSchema other) {
        java.util.Map<String, Feature> theirs = new java.util.LinkedHashMap<>();
        other.features().forEach(f -> theirs.put(f.name(), f));
        List<String> out = new ArrayList<>();
        for (Feature mine : features) {
            Feature t = theirs.remove(mine.name());
            if (t == null) {
                out.add("feature '" + mine.name() + "' is gone");
            } else if (t.type() != mine.type() || t.required() != mine.required()) {
                out.add("feature '" + mine.name() + "' was " + describe(mine) + ", now " + describe(t));
            }
        }
        theirs.values().forEach(t -> out.add("feature '" + t.name() + "' is new (" + describe(t) + ")"));
        return List.copyOf(out);
    }

    private static String describe(Feature f) {
        return (f.required() ? "a required " : "an optional ") + f.type().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Builds a {@link FeatureSchema}. */
    public static final class Builder {
        private final List<Feature> features = new ArrayList<>();

        private Builder() {
        }

        private Builder add(String name, Type type, boolean required) {
            for (Feature f : features) {
                if (f.name().equals(name)) {
                    throw new IllegalArgumentException("feature '" + name + "' is declared twice");
                }
            }
            features.add(new Feature(name, type, required));
            return this;
        }

        /**
         * Sets a required number.
         *
         * @param name a required number
         * @return this
         */
        public Builder number(String name) {
            return add(name, Type.NUMBER, true);
        }

        /**
         * Sets a required string.
         *
         * @param name a required string
         * @return this
         */
        public Builder string(String name) {
            return add(name, Type.STRING, true);
        }

        /**
         * Sets a required boolean.
         *
         * @param name a required boolean
         * @return this
         */
        public Builder bool(String name) {
            return add(name, Type.BOOLEAN, true);
        }

        /**
         * Sets an optional number.
         *
         * @param name an optional number
         * @return this
         */
        public Builder optionalNumber(String name) {
            return add(name, Type.NUMBER, false);
        }

        /**
         * Sets an optional string.
         *
         * @param name an optional string
         * @return this
         */
        public Builder optionalString(String name) {
            return add(name, Type.STRING, false);
        }

        /**
         * @return the schema
         */
        public FeatureSchema build() {
            return new FeatureSchema(features);
        }
    }
}
