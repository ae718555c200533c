package io.mlops.monitor;

import io.mlops.monitor.spi.MonitorStore;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code log()} does not depend on a round trip to the store: ids are reserved ahead and retried,
 * so a store that drops its connections costs no prediction. Before, the id block was reserved
 * inside {@code log()} without retry, and a connection dropped at that moment made {@code log()}
 * throw and lose the prediction.
 */
class ConnectionLossTest {

    /** The in-memory store, whose id reservations fail from the second to the fourth. */
    static MonitorStore droppingReservations(AtomicInteger reservations) {
        MonitorStore real = MonitorStore.inMemory();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("reserveIds")) {
                int n = reservations.incrementAndGet();
                if (n >= 2 && n <= 4) {
                    throw new IOException("connection dropped (reservation " + n + ")");
                }
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (MonitorStore) Proxy.newProxyInstance(MonitorStore.class.getClassLoader(), new Class<?>[] {MonitorStore.class},
                handler);
    }

    @Test
    void droppedReservationsCostNoPrediction() {
        AtomicInteger reservations = new AtomicInteger();
        MonitorStore store = droppingReservations(reservations);
        try (ModelMonitor monitor = ModelMonitor.builder().store(store).defaultRules(false).build()) {
            Set<Long> ids = new HashSet<>();
            for (int i = 0; i < 25_000; i++) {
                long id = monitor.prediction().input(Map.of("x", i)).output(i % 2).modelVersion("1.0.0").log();
                assertThat(ids.add(id)).as("id %d given twice", id).isTrue();
            }
            monitor.flush();
            assertThat(monitor.metrics(Duration.ofHours(1)).counts().predictions()).isEqualTo(25_000);
            assertThat(reservations.get()).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void backendsTerminatedWhileLoggingCostNoPredictionOnPostgres() throws Exception {
        TestDatabases.PostgresSchema schema = TestDatabases.postgres(getClass().getSimpleName()).orElse(null);
        Assumptions.assumeTrue(schema != null, "PostgreSQL not reachable at 127.0.0.1:5432");
        String app = "mlops-" + schema.name();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger killed = new AtomicInteger();
        try (var pool = TestDatabases.pool(schema.jdbcUrl() + "&ApplicationName=" + app, 4)) {
            Thread killer = new Thread(() -> {
                // every 100 ms, terminate this test's backends (and only this test's: others may run beside it)
                try (Connection admin = DriverManager.getConnection(schema.jdbcUrl().replaceAll("\\?.*", "?user=postgres"));
                     Statement s = admin.createStatement()) {
                    while (!stop.get()) {
                        try (ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                + " WHERE application_name = '" + app + "'")) {
                            rs.next();
                            killed.addAndGet(rs.getInt(1));
                        }
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "backend-killer");
            long logged = 0;
            try (ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.jdbc(pool)).defaultRules(false).build()) {
                killer.start();
                for (int i = 0; i < 30_000; i++) {
                    monitor.prediction().input(Map.of("x", i)).output(i % 2).modelVersion("1.0.0").log();
                    logged++;
                }
                stop.set(true);
                killer.join();
                monitor.flush();
            }
            assertThat(killed.get()).as("backends terminated while logging").isPositive();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT id) FROM predictions")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(logged);
                assertThat(rs.getLong(2)).isEqualTo(logged);
            }
        } finally {
            stop.set(true);
            schema.close();
        }
    }
}
