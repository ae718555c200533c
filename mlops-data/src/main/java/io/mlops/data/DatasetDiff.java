package io.mlops.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mlops.core.ColumnType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between two dataset versions: rows, columns added, removed and kept, type changes,
 * and for every kept column its summary on both sides and the change of each statistic.
 *
 * @param before the first version's id
 * @param after the second version's id
 * @param rowsBefore rows in the first
 * @param rowsAfter rows in the second
 * @param columnsAdded columns only in the second, in its order
 * @param columnsRemoved columns only in the first, in its order
 * @param columnsKept columns in both, in the first's order
 * @param typeChanges kept columns whose type changed
 * @param columnChanges one entry per kept column, in the first's order
 * @since 0.1.0
 */
public record DatasetDiff(String before, String after, long rowsBefore, long rowsAfter, List<String> columnsAdded,
                          List<String> columnsRemoved, List<String> columnsKept, List<TypeChange> typeChanges,
                          List<ColumnChange> columnChanges) {



    /**
     * Copies the lists.
     *
     * @param before the first version's id
     * @param after the second version's id
     * @param rowsBefore rows in the first
     * @param rowsAfter rows in the second
     * @param columnsAdded columns only in the second
     * @param columnsRemoved columns only in the first
     * @param columnsKept columns in both
     * @param typeChanges kept columns whose type changed
     * @param columnChanges one entry per kept column
     */
    public DatasetDiff {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        columnsAdded = List.copyOf(columnsAdded);
        columnsRemoved = List.copyOf(columnsRemoved);
        columnsKept = List.copyOf(columnsKept);
        typeChanges = List.copyOf(typeChanges);
        columnChanges = List.copyOf(columnChanges);
    }

    /**
     * A kept column whose type changed.
     *
     * @param column the column
     * @param before its type in the first version
     * @param after its type in the second
     */
    public record TypeChange(String column, ColumnType before, ColumnType after) {
    }

    /**
     * A kept column's summaries and their change.
     *
     * @param column the column
     * @param before its summary in the first version
     * @param after its summary in the second
     * @param categoriesAdded categories only in the second (categorical on both sides), sorted
     * @param categoriesRemoved categories only in the first, sorted
     * @param deltas after minus before, for every statistic present on both sides ({@code count},
     *     {@code missing}, and {@code mean}, {@code std}, {@code min}, {@code q25}, {@code median},
     *     {@code q75}, {@code max} or {@code categories})
     */
    public record ColumnChange(String column, ColumnSummary before, ColumnSummary after, List<String> categoriesAdded,
                               List<String> categoriesRemoved, Map<String, Double> deltas) {

        /**
         * Copies the collections.
         *
         * @param column the column
         * @param before its summary in the first version
         * @param after its summary in the second
         * @param categoriesAdded categories only in the second
         * @param categoriesRemoved categories only in the first
         * @param deltas after minus before per statistic
         */
        public ColumnChange {
            categoriesAdded = List.copyOf(categoriesAdded);
            categoriesRemoved = List.copyOf(categoriesRemoved);
            deltas = Collections.unmodifiableMap(new LinkedHashMap<>(deltas));
        }
    }

    /**
     * @return {@code rowsAfter - rowsBefore}
     */
    public long rowsChange() {
        return rowsAfter - rowsBefore;
    }

    /**
     * @param column a kept column
     * @return its change, or null when the column was not kept
     */
    public ColumnChange column(String column) {
        for (ColumnChange c : columnChanges) {
            if (c.column().equals(column)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The diff as indented JSON. Field names are the record components' names (stable); statistics
     * that do not exist are {@code null}.
     *
     * @return the JSON text
     */
    public String toJson() {
        try {
            return io.mlops.core.Json.prettyWriter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a diff of plain values always serialises", e);
        }
    }

    /**
     * @return a short human-readable account of the changes
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(before).append(" -> ").append(after).append(": rows ").append(rowsBefore).append(" -> ").append(rowsAfter);
        if (!columnsAdded.isEmpty()) {
            sb.append("; columns added ").append(columnsAdded);
        }
        if (!columnsRemoved.isEmpty()) {
            sb.append("; columns removed ").append(columnsRemoved);
        }
        for (TypeChange t : typeChanges) {
            sb.append("; ").append(t.column()).append(' ').append(t.before()).append(" -> ").append(t.after());
        }
        for (ColumnChange c : columnChanges) {
            Double mean = c.deltas().get("mean");
            if (mean != null && mean != 0) {
                sb.append(String.format("; %s mean %+.4g", c.column(), mean));
            }
            if (!c.categoriesAdded().isEmpty()) {
                sb.append("; ").append(c.column()).append(" new categories ").append(c.categoriesAdded());
            }
            if (!c.categoriesRemoved().isEmpty()) {
                sb.append("; ").append(c.column()).append(" lost categories ").append(c.categoriesRemoved());
            }
        }
        return sb.toString();
    }
}
