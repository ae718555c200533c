package io.mlops.core.internal.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One-line statements with positional parameters, for the JDBC stores.
 *
 * @since 0.1.0
 */
public final class Sql {

    private Sql() {
    }

    /**
     * Returns the first column of every row.
     *
     * @param c the connection
     * @param sql a query
     * @param args its parameters
     * @return the first column of every row, as text
     * @throws SQLException when the query fails
     */
    public static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    /**
     * Returns the first column of the first row, or null when there is none.
     *
     * @param c the connection
     * @param sql a query
     * @param args its parameters
     * @return the first column of the first row, as text, or null when there is none
     * @throws SQLException when the query fails
     */
    public static String first(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * Runs an insert, update or delete.
     *
     * @param c the connection
     * @param sql the statement
     * @param args its parameters
     * @return the number of rows changed
     * @throws SQLException when the statement fails
     */
    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(c, sql, args)) {
            return p.executeUpdate();
        }
    }

    /**
     * Returns one more than a query's single number ({@code SELECT MAX(seq) ...}), or 1 when it is
     * null: the next number of a sequence kept as a column's maximum, to be called under an
     * {@link SqlDatabase#exclusive} lock.
     *
     * @param c the connection
     * @param maxSql a query for the current maximum
     * @param args its parameters
     * @return the next number
     * @throws SQLException when the query fails
     */
    public static long next(Connection c, String maxSql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(c, maxSql, args); ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) + 1 : 1;
        }
    }

    /**
     * Parses a row's record, reporting any failure as damage to that row only: a
     * {@link io.mlops.core.spi.CorruptFileException} naming it, which stores and registries treat
     * as local damage (listings skip it, {@code verify()} reports it).
     *
     * @param row the row, as {@code table/key...}
     * @param parse parses the record and checks that it belongs to the row
     * @param <T> the record's type
     * @return the record
     * @throws io.mlops.core.spi.CorruptFileException when the record does not read or belongs elsewhere
     */
    public static <T> T parseRow(java.nio.file.Path row, io.mlops.core.spi.IoSupplier<T> parse)
            throws io.mlops.core.spi.CorruptFileException {
        try {
            return parse.get();
        } catch (io.mlops.core.spi.CorruptFileException e) {
            throw e;
        } catch (java.io.IOException | RuntimeException e) {
            throw new io.mlops.core.spi.CorruptFileException(row, e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            return p;
        } catch (SQLException e) {
            p.close();
            throw e;
        }
    }
}
