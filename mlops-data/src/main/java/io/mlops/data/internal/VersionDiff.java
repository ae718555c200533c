package io.mlops.data.internal;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.data.ColumnSummary;
import io.mlops.data.DatasetDiff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The comparison of two datasets: columns added, removed and kept, type changes, statistics changes. */
final class VersionDiff {

    private VersionDiff() {
    }

    static DatasetDiff of(String idA, Dataset a, String idB, Dataset b) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String c : b.columnNames()) {
            if (!a.hasColumn(c)) {
                added.add(c);
            }
        }
        List<DatasetDiff.TypeChange> typeChanges = new ArrayList<>();
        List<DatasetDiff.ColumnChange> changes = new ArrayList<>();
        for (String c : a.columnNames()) {
            if (!b.hasColumn(c)) {
                removed.add(c);
                continue;
            }
            kept.add(c);
            if (a.type(c) != b.type(c)) {
                typeChanges.add(new DatasetDiff.TypeChange(c, a.type(c), b.type(c)));
            }
            changes.add(columnChange(c, a, b));
        }
        return new DatasetDiff(idA, idB, a.rowCount(), b.rowCount(), added, removed, kept, typeChanges, changes);
    }

    private static DatasetDiff.ColumnChange columnChange(String column, Dataset a, Dataset b) {
        ColumnSummary before = ColumnSummary.of(a, column);
        ColumnSummary after = ColumnSummary.of(b, column);
        Map<String, Double> deltas = new LinkedHashMap<>();
        deltas.put("count", (double) (after.count() - before.count()));
        deltas.put("missing", (double) (after.missing() - before.missing()));
        delta(deltas, "mean", before.mean(), after.mean());
        delta(deltas, "std", before.std(), after.std());
        delta(deltas, "min", before.min(), after.min());
        delta(deltas, "q25", before.q25(), after.q25());
        delta(deltas, "median", before.median(), after.median());
        delta(deltas, "q75", before.q75(), after.q75());
        delta(deltas, "max", before.max(), after.max());
        if (before.categories() != null && after.categories() != null) {
            deltas.put("categories", (double) (after.categories() - before.categories()));
        }
        List<String> catsAdded = List.of();
        List<String> catsRemoved = List.of();
        if (a.type(column) == ColumnType.CATEGORICAL && b.type(column) == ColumnType.CATEGORICAL) {
            TreeSet<String> inA = new TreeSet<>(a.categories(column));
            TreeSet<String> inB = new TreeSet<>(b.categories(column));
            TreeSet<String> plus = new TreeSet<>(inB);
            plus.removeAll(inA);
            TreeSet<String> minus = new TreeSet<>(inA);
            minus.removeAll(inB);
            catsAdded = List.copyOf(plus);
            catsRemoved = List.copyOf(minus);
        }
        return new DatasetDiff.ColumnChange(column, before, after, catsAdded, catsRemoved, deltas);
    }

    private static void delta(Map<String, Double> deltas, String key, Double before, Double after) {
        if (before != null && after != null) {
            deltas.put(key, after - before);
        }
    }
}
