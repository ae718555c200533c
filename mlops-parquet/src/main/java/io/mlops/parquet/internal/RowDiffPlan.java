package io.mlops.parquet.internal;

import io.mlops.core.ValidationException;
import io.mlops.data.RowDiff;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of one row comparison: which columns are keys and which are compared (present on both
 * sides with the same kind), their normalized forms ({@code k0..}, {@code c0..}: doubles with
 * {@code NaN} as null, or text), the narrow joined table {@code j} ({@code in_a}, {@code in_b},
 * {@code candidate}), the wide table {@code w} of candidate rows ({@code a0..}, {@code b0..}), and
 * the reading of the counts and examples from them.
 */
record RowDiffPlan(String before, String after, List<String> keys, List<Boolean> keyNumeric, List<String> compared,
                   List<Boolean> comparedNumeric, List<String> onlyBefore, List<String> onlyAfter, List<String> otherKind) {

    static RowDiffPlan of(List<String> keys, List<ParquetTables.Column> a, List<ParquetTables.Column> b, String idA, String idB) {
        Map<String, ParquetTables.Column> byNameA = byName(a);
        Map<String, ParquetTables.Column> byNameB = byName(b);
        List<Boolean> keyNumeric = new ArrayList<>();
        for (String k : keys) {
            ParquetTables.Column ka = byNameA.get(k);
            ParquetTables.Column kb = byNameB.get(k);
            if (ka == null || kb == null) {
                throw new ValidationException("Key column '" + k + "' is not in version '" + (ka == null ? idA : idB) + "'");
            }
            if (ka.kind() != kb.kind()) {
                throw new ValidationException("Key column '" + k + "' is " + ka.kind().name().toLowerCase() + " in '" + idA + "' and "
                        + kb.kind().name().toLowerCase() + " in '" + idB + "': keys must be of one kind to be matched");
            }
            keyNumeric.add(ka.kind() == ParquetTables.Kind.NUMERIC);
        }
        if (keys.stream().distinct().count() != keys.size()) {
            throw new IllegalArgumentException("a key column is named twice: " + keys);
        }
        List<String> compared = new ArrayList<>();
        List<Boolean> numeric = new ArrayList<>();
        List<String> onlyBefore = new ArrayList<>();
        List<String> otherKind = new ArrayList<>();
        for (ParquetTables.Column c : a) {
            if (keys.contains(c.name())) {
                continue;
            }
            ParquetTables.Column other = byNameB.get(c.name());
            if (other == null) {
                onlyBefore.add(c.name());
            } else if (other.kind() != c.kind()) {
                otherKind.add(c.name());
            } else {
                compared.add(c.name());
                numeric.add(c.kind() == ParquetTables.Kind.NUMERIC);
            }
        }
        List<String> onlyAfter = b.stream().map(ParquetTables.Column::name)
                .filter(n -> !byNameA.containsKey(n) && !keys.contains(n)).toList();
        return new RowDiffPlan(idA, idB, List.copyOf(keys), keyNumeric, compared, numeric, onlyBefore, onlyAfter, otherKind);
    }

    private static Map<String, ParquetTables.Column> byName(List<ParquetTables.Column> columns) {
        Map<String, ParquetTables.Column> out = new LinkedHashMap<>();
        columns.forEach(c -> out.put(c.name(), c));
        return out;
    }

    private static String normal(String column, boolean numeric) {
        String id = DuckDb.identifier(column);
        return numeric ? "nullif(CAST(" + id + " AS DOUBLE), 'NaN'::DOUBLE)" : "CAST(" + id + " AS VARCHAR)";
    }

    /** The normalized columns of a side: keys as k0.., compared columns as c0... */
    String normalized() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            out.add(normal(keys.get(i), keyNumeric.get(i)) + " AS k" + i);
        }
        for (int i = 0; i < compared.size(); i++) {
            out.add(normal(compared.get(i), comparedNumeric.get(i)) + " AS c" + i);
        }
        return String.join(", ", out);
    }

    String keyList() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            out.add("k" + i);
        }
        return String.join(", ", out);
    }

    /** Two independent 64-bit fingerprints of a side's compared columns: {@code h1}, {@code h2}. */
    String fingerprints() {
        if (compared.isEmpty()) {
            return "0::UBIGINT AS h1, 0::UBIGINT AS h2";
        }
        List<String> forward = new ArrayList<>();
        for (int i = 0; i < compared.size(); i++) {
            forward.add("c" + i);
        }
        List<String> backward = new ArrayList<>(forward);
        java.util.Collections.reverse(backward);
        return "hash(" + String.join(", ", forward) + ") AS h1, hash(" + String.join(", ", backward) + ", 'mlops.rowdiff') AS h2";
    }

    /** The narrow joined table {@code j}: keys, which sides hold them, whether the fingerprints differ. */
    String joinedColumns() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            out.add("coalesce(x.k" + i + ", y.k" + i + ") AS k" + i);
        }
        out.add("x.p_ IS NOT NULL AS in_a");
        out.add("y.p_ IS NOT NULL AS in_b");
        out.add("(x.h1 IS DISTINCT FROM y.h1 OR x.h2 IS DISTINCT FROM y.h2) AS candidate");
        return String.join(", ", out);
    }

    /** The wide table {@code w} of candidate rows: keys and each compared column on both sides. */
    String wideColumns() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            out.add("t.k" + i);
        }
        for (int i = 0; i < compared.size(); i++) {
            out.add("x.c" + i + " AS a" + i);
            out.add("y.c" + i + " AS b" + i);
        }
        return String.join(", ", out);
    }

    String keysEqual() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            out.add("x.k" + i + " = y.k" + i);
        }
        return String.join(" AND ", out);
    }

    private String anyChanged() {
        if (compared.isEmpty()) {
            return "false";
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < compared.size(); i++) {
            out.add("a" + i + " IS DISTINCT FROM b" + i);
        }
        return "(" + String.join(" OR ", out) + ")";
    }

    /** Reads the counts, the per-column changes and the examples from {@code j}. */
    RowDiff result(Statement s, long rowsA, long rowsB, long duplicateKeys, int examples) throws SQLException {
        long added;
        long removed;
        long matched;
        try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE in_b AND NOT in_a), count(*) FILTER (WHERE in_a AND NOT"
                + " in_b), count(*) FILTER (WHERE in_a AND in_b) FROM j")) {
            rs.next();
            added = rs.getLong(1);
            removed = rs.getLong(2);
            matched = rs.getLong(3);
        }
        StringBuilder sql = new StringBuilder("SELECT count(*) FILTER (WHERE " + anyChanged() + ")");
        for (int i = 0; i < compared.size(); i++) {
            String changed = "a" + i + " IS DISTINCT FROM b" + i;
            sql.append(", count(*) FILTER (WHERE ").append(changed).append(')');
            if (comparedNumeric.get(i)) {
                sql.append(", avg(abs(b").append(i).append(" - a").append(i).append(")) FILTER (WHERE ").append(changed)
                        .append("), max(abs(b").append(i).append(" - a").append(i).append(")) FILTER (WHERE ").append(changed).append(')');
            } else {
                sql.append(", NULL, NULL");
            }
        }
        long changed;
        List<RowDiff.ColumnChange> columns = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql + " FROM w")) {
            rs.next();
            changed = rs.getLong(1);
            for (int i = 0; i < compared.size(); i++) {
                int at = 2 + 3 * i;
                double mean = rs.getDouble(at + 1);
                mean = rs.wasNull() ? Double.NaN : mean;
                double max = rs.getDouble(at + 2);
                max = rs.wasNull() ? Double.NaN : max;
                columns.add(new RowDiff.ColumnChange(compared.get(i), comparedNumeric.get(i), rs.getLong(at), mean, max));
            }
        }
        long unchanged = matched - changed;
        String order = " ORDER BY " + keyList() + " LIMIT " + examples;
        List<Map<String, Object>> addedRows = rows(s, "SELECT y.* FROM (SELECT " + keyList() + " FROM j WHERE in_b AND NOT in_a" + order
                + ") t JOIN nb y USING (" + keyList() + ") ORDER BY " + keyList());
        List<Map<String, Object>> removedRows = rows(s, "SELECT x.* FROM (SELECT " + keyList() + " FROM j WHERE in_a AND NOT in_b"
                + order + ") t JOIN na x USING (" + keyList() + ") ORDER BY " + keyList());
        List<RowDiff.ChangedRow> changedRows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT * FROM w WHERE " + anyChanged() + order)) {
            while (rs.next()) {
                Map<String, RowDiff.Change> changes = new LinkedHashMap<>();
                for (int i = 0; i < compared.size(); i++) {
                    Object va = DuckRowDiff.value(rs, rs.findColumn("a" + i), comparedNumeric.get(i));
                    Object vb = DuckRowDiff.value(rs, rs.findColumn("b" + i), comparedNumeric.get(i));
                    if (!java.util.Objects.equals(va, vb)) {
                        changes.put(compared.get(i), new RowDiff.Change(va, vb));
                    }
                }
                changedRows.add(new RowDiff.ChangedRow(DuckRowDiff.keyOf(rs, this), changes));
            }
        }
        List<Map<String, Object>> duplicates = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT * FROM dups" + order)) {
            while (rs.next()) {
                duplicates.add(DuckRowDiff.keyOf(rs, this));
            }
        }
        return new RowDiff(before, after, keys, rowsA, rowsB, added, removed, changed, unchanged, duplicateKeys, columns, onlyBefore,
                onlyAfter, otherKind, addedRows, removedRows, changedRows, duplicates);
    }

    /** Rows of a normalized side ({@code k0.., c0..}), by column name. */
    private List<Map<String, Object>> rows(Statement s, String sql) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, Object> row = DuckRowDiff.keyOf(rs, this);
                for (int i = 0; i < compared.size(); i++) {
                    row.put(compared.get(i), DuckRowDiff.value(rs, rs.findColumn("c" + i), comparedNumeric.get(i)));
                }
                out.add(row);
            }
        }
        return out;
    }
}
