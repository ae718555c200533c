package io.mlops.test;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Databases for tests of JDBC stores, pooled by HikariCP as in production: a schema of its own on
 * the local PostgreSQL server (127.0.0.1:5432, database {@code test}, user {@code postgres}; system
 * properties {@code mlops.pg.host}, {@code mlops.pg.port}, {@code mlops.pg.database},
 * {@code mlops.pg.user} override), dropped on close; or a SQLite file. Needs HikariCP and the JDBC
 * driver on the test class path.
 *
 * @since 0.1.0
 */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** A PostgreSQL schema of its own and a pool whose connections use it; {@link #close} drops both. */
    public static final class PostgresSchema implements AutoCloseable {
        private final String name;
        private final String url;
        private final HikariDataSource pool;

        private PostgresSchema(String name, String url, HikariDataSource pool) {
            this.name = name;
            this.url = url;
            this.pool = pool;
        }

        /**
         * @return the schema's name
         */
        public String name() {
            return name;
        }

        /**
         * @return a JDBC URL whose connections use the schema, for child processes
         */
        public String jdbcUrl() {
            return url;
        }

        /**
         * @return the pool (up to 8 connections)
         */
        public DataSource dataSource() {
            return pool;
        }

        /** Drops the schema with everything in it and closes the pool. */
        @Override
        public void close() throws SQLException {
            pool.close();
            try (Connection c = java.sql.DriverManager.getConnection(baseUrl(), user(), null);
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
        }

        @Override
        public String toString() {
            return "PostgreSQL schema " + name + " at " + baseUrl();
        }
    }

    /**
     * Creates a fresh schema on the local PostgreSQL server, or returns empty after printing
     * {@code SKIPPED <test>: PostgreSQL not reachable ...} when there is no server.
     *
     * @param test the test's name, for the message
     * @return the schema, or empty when PostgreSQL is not reachable
     */
    public static Optional<PostgresSchema> postgres(String test) {
        String schema = "mlops_t_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
        try (Connection c = java.sql.DriverManager.getConnection(baseUrl(), user(), null);
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            System.out.println("SKIPPED " + test + ": PostgreSQL not reachable at " + baseUrl() + " (" + e.getMessage() + ")");
            return Optional.empty();
        }
        String url = baseUrl() + "?currentSchema=" + schema + "&user=" + user() + "&connectTimeout=3";
        return Optional.of(new PostgresSchema(schema, url, pool(url, 8)));
    }

    /**
     * @param jdbcUrl the URL
     * @param size the most connections
     * @return a pool of connections to a JDBC URL, as production code would make it
     */
    public static HikariDataSource pool(String jdbcUrl, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /**
     * @param file the database file
     * @return a pool of connections to a SQLite file (created when missing)
     */
    public static HikariDataSource sqlite(Path file) {
        return pool("jdbc:sqlite:" + file.toAbsolutePath() + "?journal_mode=WAL", 4);
    }

    private static String baseUrl() {
        return "jdbc:postgresql://" + System.getProperty("mlops.pg.host", "127.0.0.1") + ":"
                + Integer.getInteger("mlops.pg.port", 5432) + "/" + System.getProperty("mlops.pg.database", "test");
    }

    private static String user() {
        return System.getProperty("mlops.pg.user", "postgres");
    }
}
