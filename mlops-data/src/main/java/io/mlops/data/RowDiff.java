package io.mlops.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed row by row between two versions of a table, matched on key columns: rows added
 * (keys only in the second), removed (only in the first), changed (in both, some other column
 * differs) and unchanged; for each column compared, how many rows changed it and, for numeric
 * columns, by how much; the first examples of each kind. Exact at any size: computed by an engine
 * that sorts and joins on disk when the rows do not fit in memory.
 *
 * <p><b>Equality.</b> A missing value equals a missing value (in a numeric column {@code NaN} is
 * missing, as everywhere in a dataset) and differs from every value; numbers are compared exactly.
 * Columns of only one side, and columns whose kind (numeric, categorical) changed, are listed and
 * not compared value by value.
 *
 * <p><b>Duplicate keys</b> are reported, never silently merged: a key held by more than one row on
 * either side is left out of the matching; {@link #duplicateKeys} counts such keys and
 * {@link #duplicateExamples} shows some.
 *
 * @param before the first version's id
 * @param after the second version's id
 * @param keys the key columns
 * @param rowsBefore rows in the first
 * @param rowsAfter rows in the second
 * @param added rows whose key is only in the second
 * @param removed rows whose key is only in the first
 * @param changed keys in both whose rows differ in some compared column
 * @param unchanged keys in both whose rows agree in every compared column
 * @param duplicateKeys keys held by more than one row of either side (left out of the counts above)
 * @param columns the compared columns, in the first's order, with their changes
 * @param columnsOnlyBefore columns only in the first
 * @param columnsOnlyAfter columns only in the second
 * @param columnsOfOtherKind columns in both whose kind changed, not compared
 * @param addedExamples up to the requested number of added rows (column to value), by key order
 * @param removedExamples up to that number of removed rows
 * @param changedExamples up to that number of changed rows
 * @param duplicateExamples up to that number of duplicated keys (key column to value)
 * @since 0.1.0
 */
public record RowDiff(String before, String after, List<String> keys, long rowsBefore, long rowsAfter, long added, long removed,
                      long changed, long unchanged, long duplicateKeys, List<ColumnChange> columns, List<String> columnsOnlyBefore,
                      List<String> columnsOnlyAfter, List<String> columnsOfOtherKind, List<Map<String, Object>> addedExamples,
                      List<Map<String, Object>> removedExamples, List<ChangedRow> changedExamples,
                      List<Map<String, Object>> duplicateExamples) {

    /**
     * Copies the lists.
     *
     * @param before the first version's id
     * @param after the second version's id
     * @param keys the key columns
     * @param rowsBefore rows in the first
     * @param rowsAfter rows in the second
     * @param added rows added
     * @param removed rows removed
     * @param changed rows changed
     * @param unchanged rows unchanged
     * @param duplicateKeys duplicated keys
     * @param columns the compared columns
     * @param columnsOnlyBefore columns only in the first
     * @param columnsOnlyAfter columns only in the second
     * @param columnsOfOtherKind columns whose kind changed
     * @param addedExamples examples of added rows
     * @param removedExamples examples of removed rows
     * @param changedExamples examples of changed rows
     * @param duplicateExamples examples of duplicated keys
     */
    public RowDiff {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        keys = List.copyOf(keys);
        columns = List.copyOf(columns);
        columnsOnlyBefore = List.copyOf(columnsOnlyBefore);
        columnsOnlyAfter = List.copyOf(columnsOnlyAfter);
        columnsOfOtherKind = List.copyOf(columnsOfOtherKind);
        addedExamples = List.copyOf(addedExamples);
        removedExamples = List.copyOf(removedExamples);
        changedExamples = List.copyOf(changedExamples);
        duplicateExamples = List.copyOf(duplicateExamples);
    }

    /**
     * One compared column.
     *
     * @param column its name
     * @param numeric whether it is numeric (then the change statistics are set)
     * @param rowsChanged rows (of keys in both) whose value changed
     * @param meanAbsoluteChange the mean of |after - before| over the changed rows where both are
     *        present; {@code NaN} for a categorical column or when there are none
     * @param maxAbsoluteChange the largest such change; {@code NaN} likewise
     */
    public record ColumnChange(String column, boolean numeric, long rowsChanged, double meanAbsoluteChange,
                               double maxAbsoluteChange) {
    }

    /**
     * A changed row.
     *
     * @param key its key (key column to value)
     * @param changes each changed column's value before and after ({@code null} for missing)
     */
    public record ChangedRow(Map<String, Object> key, Map<String, Change> changes) {
    }

    /**
     * A changed value.
     *
     * @param before the value before, or null when missing
     * @param after the value after, or null when missing
     */
    public record Change(Object before, Object after) {

        /**
         * @return {@code before -> after}
         */
        @Override
        public String toString() {
            return before + " -> " + after;
        }
    }

    /**
     * @return the comparison as indented JSON (field names as the components'; a statistic that
     *         does not apply is the text {@code "NaN"})
     */
    public String toJson() {
        try {
            return io.mlops.core.Json.prettyWriter().writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a comparison of plain values always serialises", e);
        }
    }

    /**
     * @return a short human-readable account: the counts, then each column that changed
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(before).append(" -> ").append(after).append(" on ").append(keys).append(": rows ").append(rowsBefore).append(" -> ")
                .append(rowsAfter).append("; added ").append(added).append(", removed ").append(removed).append(", changed ")
                .append(changed).append(", unchanged ").append(unchanged);
        if (duplicateKeys > 0) {
            sb.append("; ").append(duplicateKeys).append(" duplicated key(s) left out, e.g. ").append(duplicateExamples.get(0));
        }
        for (ColumnChange c : columns) {
            if (c.rowsChanged() > 0) {
                sb.append("\n  ").append(c.column()).append(": ").append(c.rowsChanged()).append(" row(s) changed");
                if (c.numeric() && !Double.isNaN(c.meanAbsoluteChange())) {
                    sb.append(String.format(java.util.Locale.ROOT, ", mean |change| %.4g, max %.4g", c.meanAbsoluteChange(),
                            c.maxAbsoluteChange()));
                }
            }
        }
        if (!columnsOnlyBefore.isEmpty()) {
            sb.append("\n  columns removed ").append(columnsOnlyBefore);
        }
        if (!columnsOnlyAfter.isEmpty()) {
            sb.append("\n  columns added ").append(columnsOnlyAfter);
        }
        if (!columnsOfOtherKind.isEmpty()) {
            sb.append("\n  columns of another kind, not compared ").append(columnsOfOtherKind);
        }
        for (ChangedRow r : changedExamples) {
            sb.append("\n  changed ").append(r.key()).append(": ").append(r.changes());
        }
        return sb.toString();
    }

    /**
     * @return whether the two versions hold the same rows (no added, removed, changed or duplicated key)
     */
    public boolean same() {
        return added == 0 && removed == 0 && changed == 0 && duplicateKeys == 0 && columnsOnlyBefore.isEmpty()
                && columnsOnlyAfter.isEmpty() && columnsOfOtherKind.isEmpty();
    }
}
