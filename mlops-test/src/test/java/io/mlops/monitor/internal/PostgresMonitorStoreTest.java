package io.mlops.monitor.internal;

import io.mlops.monitor.spi.MonitorStore;
import io.mlops.test.MonitorStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The contract kit on the local PostgreSQL service (127.0.0.1:5432, database test, trust auth), in a
 * schema of its own that is dropped afterwards. Skips, saying so, when the server is not reachable.
 */
class PostgresMonitorStoreTest extends MonitorStoreContract {

    static final String SCHEMA = "mlops_test_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    static String unreachable;

    static PGSimpleDataSource dataSource(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {System.getProperty("mlops.pg.host", "127.0.0.1")});
        ds.setPortNumbers(new int[] {Integer.getInteger("mlops.pg.port", 5432)});
        ds.setDatabaseName(System.getProperty("mlops.pg.database", "test"));
        ds.setUser(System.getProperty("mlops.pg.user", "postgres"));
        ds.setConnectTimeout(3);
        if (schema != null) {
            ds.setCurrentSchema(schema);
        }
        return ds;
    }

    @BeforeAll
    static void createSchema() {
        try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
        } catch (Exception e) {
            unreachable = e.toString();
            System.out.println("SKIPPED PostgresMonitorStoreTest: PostgreSQL not reachable at 127.0.0.1:5432 (" + e.getMessage() + ")");
        }
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (unreachable == null) {
            try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
            }
        }
    }

    @Override
    protected java.util.Optional<io.mlops.monitor.spi.PredictionRecord> refusedRecord(long id) {
        return java.util.Optional.of(new io.mlops.monitor.spi.PredictionRecord(id, 1000, "1.0.0", null, "1", null, -1, "u\u0000x"));
    }

    @Override
    protected MonitorStore newStore() throws Exception {
        Assumptions.assumeTrue(unreachable == null, () -> "PostgreSQL not reachable at 127.0.0.1:5432: " + unreachable);
        try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement()) {
            // a clean slate per test: the schema emptied of every table, the schema version's included
            s.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
        return MonitorStore.jdbc(dataSource(SCHEMA));
    }
}
