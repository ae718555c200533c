package io.mlops.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The ordered columns of a {@link Dataset}: names and types.
 *
 * @param columns the columns in order; unmodifiable, names unique
 * @since 0.1.0
 */
public record Schema(List<Column> columns) {

    /**
     * One column of a schema.
     *
     * @param name the column's name (see {@link Dataset} for the rules)
     * @param type the column's type
     */
    public record Column(String name, ColumnType type) {

        /**
         * Validates the components.
         *
         * @param name the column's name
         * @param type the column's type
         * @throws NullPointerException when a component is {@code null}
         * @throws IllegalArgumentException when the name is not a valid column name
         */
        public Column {
            Dataset.checkColumnName(name);
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * Validates and copies the columns.
     *
     * @param columns the columns in order
     * @throws IllegalArgumentException when two columns have the same name
     */
    public Schema {
        columns = List.copyOf(columns);
        Set<String> seen = new HashSet<>();
        for (Column c : columns) {
            if (!seen.add(c.name())) {
                throw new IllegalArgumentException("duplicate column name '" + c.name() + "'");
            }
        }
    }

    /**
     * @return the column names in order
     */
    public List<String> names() {
        List<String> names = new ArrayList<>(columns.size());
        for (Column c : columns) {
            names.add(c.name());
        }
        return List.copyOf(names);
    }

    /**
     * Looks a column's type up.
     *
     * @param name a column name
     * @return its type, or empty when the schema has no such column
     */
    public Optional<ColumnType> type(String name) {
        for (Column c : columns) {
            if (c.name().equals(name)) {
                return Optional.of(c.type());
            }
        }
        return Optional.empty();
    }
}
