package io.mlops.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A schema of its own on the local PostgreSQL server (127.0.0.1:5432, database {@code test}, user
 * {@code postgres}; {@code -Dmlops.pg.url=jdbc:postgresql://...} overrides), pooled by HikariCP as
 * production runs it, dropped on close.
 */
final class FleetDatabase implements AutoCloseable {

    private final String base = System.getProperty("mlops.pg.url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private final String schema = "mlops_bench_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    final HikariDataSource pool;

    FleetDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        config.setMaximumPoolSize(8);
        pool = new HikariDataSource(config);
    }

    @Override
    public void close() throws SQLException {
        pool.close();
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
