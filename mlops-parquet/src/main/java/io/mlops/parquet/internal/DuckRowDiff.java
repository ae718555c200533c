package io.mlops.parquet.internal;

import io.mlops.core.StorageException;
import io.mlops.core.ValidationException;
import io.mlops.data.RowDiff;
import io.mlops.data.spi.RowDiffer;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The row comparison on DuckDB: both sides as views over their Parquet files (numbers as doubles,
 * {@code NaN} as missing), duplicate keys set aside, then a narrow full outer join on the keys
 * carrying two independent 64-bit fingerprints of each row's compared columns, and only the rows
 * whose fingerprints differ joined again whole and compared column by column (equal fingerprints
 * count as unchanged: a false match needs two independent 64-bit hashes to collide). The engine
 * spills to its temporary folder beyond its memory cap. For {@link java.util.ServiceLoader}; thread-safe, an
 * engine per call.
 */
public final class DuckRowDiff implements RowDiffer {

    /** For {@link java.util.ServiceLoader}. */
    public DuckRowDiff() {
    }

    /** The steps of a comparison, for progress. */
    static final int STEPS = 6;

    @Override
    public RowDiff diff(Side before, Side after, List<String> keys, int examples) {
        return diff(before, after, keys, examples, io.mlops.core.ProgressListener.NONE);
    }

    @Override
    public RowDiff diff(Side before, Side after, List<String> keys, int examples, io.mlops.core.ProgressListener progress) {
        DuckDb db = DuckDb.open();
        try (db) {
            Connection c = db.connection();
            List<ParquetTables.Column> colsA = view(c, "a", before);
            List<ParquetTables.Column> colsB = view(c, "b", after);
            RowDiffPlan plan = RowDiffPlan.of(keys, colsA, colsB, before.id(), after.id());
            try (Statement s = db.statement("comparing the rows of '" + before.id() + "' and '" + after.id() + "'")) {
                s.execute("CREATE VIEW na AS SELECT " + plan.normalized() + " FROM a");
                s.execute("CREATE VIEW nb AS SELECT " + plan.normalized() + " FROM b");
                checkKeys(s, plan, before.id(), "na");
                checkKeys(s, plan, after.id(), "nb");
                progress.progress(1, STEPS);
                String k = plan.keyList();
                s.execute("CREATE TABLE dups AS SELECT " + k + " FROM na GROUP BY ALL HAVING count(*) > 1 UNION SELECT " + k
                        + " FROM nb GROUP BY ALL HAVING count(*) > 1");
                progress.progress(2, STEPS);
                // narrow first: keys and two independent 64-bit fingerprints of the compared columns
                String narrow = k + ", " + plan.fingerprints() + ", true AS p_";
                s.execute("CREATE TABLE j AS SELECT " + plan.joinedColumns() + " FROM (SELECT " + narrow + " FROM na ANTI JOIN dups"
                        + " USING (" + k + ")) x FULL OUTER JOIN (SELECT " + narrow + " FROM nb ANTI JOIN dups USING (" + k + ")) y ON "
                        + plan.keysEqual());
                progress.progress(3, STEPS);
                // then the rows whose fingerprints differ, compared column by column
                s.execute("CREATE TABLE w AS SELECT " + plan.wideColumns() + " FROM (SELECT " + k + " FROM j WHERE in_a AND in_b"
                        + " AND candidate) t JOIN na x USING (" + k + ") JOIN nb y USING (" + k + ")");
                progress.progress(4, STEPS);
                long rowsA = count(s, "SELECT count(*) FROM a");
                long rowsB = count(s, "SELECT count(*) FROM b");
                long dupKeys = count(s, "SELECT count(*) FROM dups");
                progress.progress(5, STEPS);
                RowDiff result = plan.result(s, rowsA, rowsB, dupKeys, examples);
                progress.progress(STEPS, STEPS);
                return result;
            }
        } catch (SQLException e) {
            if (db.interrupted()) {
                throw new io.mlops.core.MlopsException("Comparing '" + before.id() + "' with '" + after.id() + "' was interrupted", e);
            }
            throw new StorageException("Cannot compare '" + before.id() + "' with '" + after.id() + "': " + db.describe(e), e);
        } catch (IOException e) {
            throw new StorageException("Cannot compare '" + before.id() + "' with '" + after.id() + "': " + e.getMessage(), e);
        }
    }

    private static List<ParquetTables.Column> view(Connection c, String name, Side side) throws IOException, SQLException {
        String scan = ParquetTables.scan(ParquetTables.files(side.parquet()), Files.isDirectory(side.parquet()));
        String what = "version '" + side.id() + "'";
        List<ParquetTables.Column> columns = ParquetTables.columns(c, scan, what);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE VIEW " + name + " AS SELECT * FROM " + scan);
        }
        return columns;
    }

    private static void checkKeys(Statement s, RowDiffPlan plan, String id, String view) throws SQLException {
        for (int i = 0; i < plan.keys().size(); i++) {
            long missing = count(s, "SELECT count(*) FROM " + view + " WHERE k" + i + " IS NULL");
            if (missing > 0) {
                throw new ValidationException("Key column '" + plan.keys().get(i) + "' of version '" + id + "' has " + missing
                        + " missing value(s): rows without a key cannot be matched; fill or drop them first");
            }
        }
    }

    static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Reads a value of a result as a dataset holds it: a Double or a String, null when missing. */
    static Object value(ResultSet rs, int column, boolean numeric) throws SQLException {
        if (numeric) {
            double v = rs.getDouble(column);
            return rs.wasNull() ? null : v;
        }
        return rs.getString(column);
    }

    /** Keys of a result row, by name. */
    static Map<String, Object> keyOf(ResultSet rs, RowDiffPlan plan) throws SQLException {
        Map<String, Object> key = new LinkedHashMap<>();
        for (int i = 0; i < plan.keys().size(); i++) {
            key.put(plan.keys().get(i), value(rs, i + 1, plan.keyNumeric().get(i)));
        }
        return key;
    }
}
