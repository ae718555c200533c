package io.mlops.console.internal;

import io.mlops.core.MlopsException;
import io.mlops.core.ValidationException;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetNotFoundException;
import io.mlops.data.RowDiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.mlops.console.internal.Html.a;
import static io.mlops.console.internal.Html.esc;
import static io.mlops.console.internal.Html.path;

/** The row-by-row comparison of two versions on key columns: counts, changed columns, examples. */
final class RowDiffPage {

    /** The longest key list the page accepts, in characters, and the most key columns. */
    static final int MAX_KEY_CHARS = 2_000;
    static final int MAX_KEYS = 16;

    private RowDiffPage() {
    }

    static String render(DataVersioning data, String name, String idA, String idB, String key) {
        if (key.length() > MAX_KEY_CHARS) {
            throw new PageError(400, "The key columns are longer than " + MAX_KEY_CHARS + " characters");
        }
        String[] keys = Arrays.stream(key.split(",")).map(String::strip).filter(k -> !k.isEmpty()).toArray(String[]::new);
        if (keys.length == 0 || keys.length > MAX_KEYS) {
            throw new PageError(400, "Name 1 to " + MAX_KEYS + " key columns, separated by commas");
        }
        RowDiff d;
        try {
            d = data.compareRows(idA, idB, keys);
        } catch (DatasetNotFoundException e) {
            throw new PageError(404, e.getMessage());
        } catch (ValidationException | IllegalArgumentException e) {
            throw new PageError(400, e.getMessage());
        } catch (MlopsException e) {
            throw new PageError(501, e.getMessage()); // the engine's module is not on the class path
        }
        List<List<String>> columns = new ArrayList<>();
        for (RowDiff.ColumnChange c : d.columns()) {
            columns.add(List.of(esc(c.column()), esc(c.rowsChanged()), c.numeric() ? Html.number(c.meanAbsoluteChange(), "%.4g") : "",
                    c.numeric() ? Html.number(c.maxAbsoluteChange(), "%.4g") : ""));
        }
        List<List<String>> changed = new ArrayList<>();
        for (RowDiff.ChangedRow r : d.changedExamples()) {
            List<String> changes = new ArrayList<>();
            r.changes().forEach((col, ch) -> changes.add(esc(col) + ": " + esc(ch.before()) + " &rarr; " + esc(ch.after())));
            changed.add(List.of(esc(r.key()), String.join("<br>", changes)));
        }
        String body = "<p>" + a(path("datasets", name, "versions", idA), idA) + " &rarr; " + a(path("datasets", name, "versions", idB), idB)
                + " on " + esc(String.join(", ", d.keys())) + ": rows " + d.rowsBefore() + " &rarr; " + d.rowsAfter() + "</p>"
                + Html.table(List.of("added", "removed", "changed", "unchanged", "duplicated keys (left out)"), List.of(List.of(
                        esc(d.added()), esc(d.removed()), esc(d.changed()), esc(d.unchanged()), esc(d.duplicateKeys()))))
                + "<h2>Columns</h2>" + Html.table(List.of("column", "rows changed", "mean |change|", "max |change|"), columns)
                + (d.columnsOnlyBefore().isEmpty() && d.columnsOnlyAfter().isEmpty() && d.columnsOfOtherKind().isEmpty() ? ""
                        : Html.table(List.of("columns removed", "columns added", "of another kind (not compared)"), List.of(List.of(
                                esc(String.join(", ", d.columnsOnlyBefore())), esc(String.join(", ", d.columnsOnlyAfter())),
                                esc(String.join(", ", d.columnsOfOtherKind()))))))
                + "<h2>Changed rows (first " + d.changedExamples().size() + ")</h2>" + Html.table(List.of("key", "changes"), changed)
                + "<h2>Added rows (first " + d.addedExamples().size() + ")</h2>" + examples(d.addedExamples())
                + "<h2>Removed rows (first " + d.removedExamples().size() + ")</h2>" + examples(d.removedExamples())
                + (d.duplicateExamples().isEmpty() ? "" : "<h2>Duplicated keys</h2>" + examples(d.duplicateExamples()));
        return Html.page("Rows of " + name, body);
    }

    private static String examples(List<java.util.Map<String, Object>> rows) {
        List<List<String>> out = new ArrayList<>();
        for (java.util.Map<String, Object> r : rows) {
            out.add(List.of(esc(r)));
        }
        return Html.table(List.of("row"), out);
    }
}
