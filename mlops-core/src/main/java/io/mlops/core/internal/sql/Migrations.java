package io.mlops.core.internal.sql;

import io.mlops.core.StorageException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema changes, recorded in the table {@value SqlDatabase#SCHEMA_TABLE}: one row per
 * component holding its schema version. Step {@code i} (from 0) takes a component's tables from
 * version {@code i} to {@code i + 1}; the steps after the recorded version run in order, in the
 * caller's transaction, which must exclude other migrations of the same database (SQLite's write
 * lock, or an advisory lock on PostgreSQL). Every JDBC store migrates through here.
 *
 * @since 0.1.0
 */
public final class Migrations {

    private Migrations() {
    }

    /**
     * Brings a component's tables to the newest version.
     *
     * @param c the connection, inside the caller's transaction
     * @param component the component, such as {@code registry}
     * @param steps the statements of each step, oldest first
     * @param where the database, for messages
     * @return the version found before, 0 for none
     * @throws SQLException when a statement fails (the caller's transaction then changes nothing)
     * @throws StorageException when the database was written by a newer schema than these steps know
     */
    public static int apply(Connection c, String component, List<List<String>> steps, String where) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + SqlDatabase.SCHEMA_TABLE
                    + " (component VARCHAR(64) PRIMARY KEY, version INTEGER NOT NULL, updated_ms BIGINT NOT NULL)");
        }
        int found = version(c, component);
        if (found > steps.size()) {
            throw new StorageException("The " + where + " holds " + component + " schema version " + found
                    + ", newer than this library's " + steps.size() + "; upgrade mlops");
        }
        if (found == steps.size()) {
            return found;
        }
        try (Statement s = c.createStatement()) {
            for (List<String> step : steps.subList(found, steps.size())) {
                for (String sql : step) {
                    s.execute(sql);
                }
            }
        }
        String sql = found == 0
                ? "INSERT INTO " + SqlDatabase.SCHEMA_TABLE + " (version, updated_ms, component) VALUES (?, ?, ?)"
                : "UPDATE " + SqlDatabase.SCHEMA_TABLE + " SET version = ?, updated_ms = ? WHERE component = ?";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setInt(1, steps.size());
            p.setLong(2, System.currentTimeMillis());
            p.setString(3, component);
            p.executeUpdate();
        }
        return found;
    }

    /**
     * @param c a connection
     * @param component the component
     * @return its recorded schema version, 0 for none (the version table must exist)
     * @throws SQLException when the table cannot be read
     */
    public static int version(Connection c, String component) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT version FROM " + SqlDatabase.SCHEMA_TABLE
                + " WHERE component = ?")) {
            p.setString(1, component);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }
}
