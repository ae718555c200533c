package io.mlops.monitor.internal;

import io.mlops.core.ManualClock;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code exactMetrics} reads the per-minute and per-hour totals that a SQL store keeps in the same
 * transactions as its rows: they must equal a recompute from the rows (the in-memory store's path)
 * for any window, version, feedback correction and number of instances writing, on SQLite and on
 * PostgreSQL (skipped, saying so, when 127.0.0.1:5432 is not reachable).
 */
class StoredTotalsTest {

    static final String SCHEMA = "mlops_totals_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    static String unreachable;

    @TempDir
    Path dir;

    @BeforeAll
    static void createSchema() {
        try (Connection c = PostgresMonitorStoreTest.dataSource(null).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
        } catch (Exception e) {
            unreachable = e.toString();
            System.out.println("SKIPPED StoredTotalsTest[postgres]: PostgreSQL not reachable at 127.0.0.1:5432 (" + e.getMessage() + ")");
        }
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (unreachable == null) {
            try (Connection c = PostgresMonitorStoreTest.dataSource(null).getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
            }
        }
    }

    private Supplier<MonitorStore> store(String kind) {
        if (kind.equals("postgres")) {
            assumeTrue(unreachable == null, "SKIPPED: PostgreSQL not reachable: " + unreachable);
            return () -> MonitorStore.jdbc(PostgresMonitorStoreTest.dataSource(SCHEMA));
        }
        Path db = dir.resolve("shared.db");
        return () -> MonitorStore.sqlite(db);
    }

    /** Two instances writing to one store, with feedback corrections; every window agrees with the rows. */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void totalsEqualARecomputeFromTheRows(String kind) {
        Supplier<MonitorStore> stores = store(kind);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-30T00:00:00Z"));
        Random r = new Random(30);
        MonitorStore storeA = stores.get();
        MonitorStore storeB = stores.get();
        try (ModelMonitor a = ModelMonitor.builder().store(storeA).clock(clock).build();
             ModelMonitor b = ModelMonitor.builder().store(storeB).clock(clock).build()) {
            List<Long> corrections = new java.util.ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                clock.advance(Duration.ofSeconds(27)); // 30 hours in all
                ModelMonitor m = i % 3 == 0 ? b : a;
                long id = m.prediction().output(r.nextInt(3)).latency(Duration.ofNanos(1_000L * (50 + r.nextInt(400_000))))
                        .modelVersion(r.nextBoolean() ? "1.0.0" : "2.0.0").log();
                if (r.nextDouble() < 0.4) {
                    m.feedback(id, r.nextInt(3));
                    if (r.nextDouble() < 0.03) { // ~50: each is a lookup, a new connection with a pool-less DataSource
                        corrections.add(id);
                    }
                }
                if (i % 40 == 0) {
                    m.error("1.0.0", "timeout");
                }
            }
            a.flush();
            b.flush();
            for (long id : corrections) {
                (id % 2 == 0 ? a : b).feedback(id, r.nextInt(3)); // corrections, from either instance
            }
            a.flush();
            b.flush();
            try (ModelMonitor rows = recomputeFrom(stores.get(), clock)) {
                for (Duration w : List.of(Duration.ofMinutes(1), Duration.ofMinutes(90), Duration.ofHours(5), Duration.ofHours(24),
                        Duration.ofHours(40))) {
                    for (String version : new String[] {null, "1.0.0", "2.0.0", "3.0.0"}) {
                        MetricsSnapshot expected = rows.exactMetrics(w, version);
                        for (ModelMonitor m : List.of(a, b)) {
                            MetricsSnapshot actual = m.exactMetrics(w, version);
                            assertThat(actual.counts()).as("%s %s", w, version).isEqualTo(expected.counts());
                            assertThat(actual.quality()).as("%s %s", w, version).isEqualTo(expected.quality());
                            assertThat(actual.latency().p50Ms()).isEqualTo(expected.latency().p50Ms());
                            assertThat(actual.latency().p99Ms()).isEqualTo(expected.latency().p99Ms());
                            if (expected.latency().avgMs() != null) {
                                assertThat(actual.latency().avgMs()).isCloseTo(expected.latency().avgMs(),
                                        org.assertj.core.api.Assertions.within(1e-9));
                            }
                            assertThat(actual.throughputPerSecond()).isEqualTo(expected.throughputPerSecond());
                        }
                    }
                }
            }
        }
    }

    /** The monitor's scan path: the same rows read through a store that is not a JDBC store. */
    private static ModelMonitor recomputeFrom(MonitorStore sql, ManualClock clock) {
        return ModelMonitor.builder().store(new ScanOnly(sql)).clock(clock).build();
    }

    /** A store of a database written before the totals existed is filled once when opened. */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aStoreWrittenBeforeTheTotalsIsFilledWhenOpened(String kind) throws Exception {
        Supplier<MonitorStore> stores = store(kind);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-30T00:00:00Z"));
        MetricsSnapshot before;
        try (ModelMonitor m = ModelMonitor.builder().store(stores.get()).clock(clock).build()) {
            for (int i = 0; i < 500; i++) {
                clock.advance(Duration.ofSeconds(20));
                long id = m.prediction().output(i % 2).latency(Duration.ofMillis(1 + i % 30)).modelVersion("1.0.0").log();
                m.feedback(id, i % 3 == 0 ? 1 : 0);
            }
            m.flush();
            before = m.exactMetrics(Duration.ofHours(3), null);
        }
        try (Connection c = kind.equals("postgres") ? PostgresMonitorStoreTest.dataSource(SCHEMA).getConnection()
                : DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("shared.db")); Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + MinuteTotals.TABLE);
            s.execute("ALTER TABLE predictions DROP COLUMN expected_correct"); // a store of that time had neither
            s.execute("DELETE FROM mlops_ids WHERE name = '" + MinuteTotals.TABLE + "'");
            s.execute("DELETE FROM mlops_schema_version WHERE component = 'monitor'"); // nor versions
        }
        try (ModelMonitor m = ModelMonitor.builder().store(stores.get()).clock(clock).build()) {
            MetricsSnapshot after = m.exactMetrics(Duration.ofHours(3), null);
            assertThat(after.counts()).isEqualTo(before.counts());
            assertThat(after.quality()).isEqualTo(before.quality());
            assertThat(after.latency()).isEqualTo(before.latency());
        }
    }

    /**
     * A damaged totals row (unreadable histogram or confusion counts) affects only its own minute:
     * the monitor still opens, exactMetrics still answers from the rows, and the next batch of that
     * minute rebuilds the row from its rows instead of failing every later write.
     */
    @ParameterizedTest
    @ValueSource(strings = {"latency_histogram = X'00ff'", "confusion = 'not json'"})
    void aDamagedTotalsRowIsReadAroundAndRebuilt(String damage) throws Exception {
        Supplier<MonitorStore> stores = store("sqlite");
        ManualClock clock = new ManualClock(Instant.parse("2026-11-30T00:00:00Z"));
        try (ModelMonitor m = ModelMonitor.builder().store(stores.get()).clock(clock).build()) {
            for (int i = 0; i < 300; i++) {
                clock.advance(Duration.ofSeconds(2));
                long id = m.prediction().output(i % 2).latency(Duration.ofMillis(1 + i % 40)).modelVersion("1.0.0").log();
                m.feedback(id, i % 3 == 0 ? 1 : 0);
            }
            m.flush();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("shared.db")); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE " + MinuteTotals.TABLE + " SET " + damage)).isPositive();
        }
        try (ModelMonitor m = ModelMonitor.builder().store(stores.get()).clock(clock).build();
             ModelMonitor rows = recomputeFrom(stores.get(), clock)) {
            assertThat(m.metrics(Duration.ofHours(1)).counts().predictions()).isEqualTo(300);
            assertThat(m.exactMetrics(Duration.ofHours(1), null).quality()).isEqualTo(rows.exactMetrics(Duration.ofHours(1), null).quality());
            long id = m.prediction().output(1).latency(Duration.ofMillis(5)).modelVersion("1.0.0").log();
            m.feedback(id, 1);
            m.flush();
            assertThat(m.rejectedRecords()).isZero();
            MetricsSnapshot expected = rows.exactMetrics(Duration.ofHours(1), null);
            MetricsSnapshot actual = m.exactMetrics(Duration.ofHours(1), null);
            assertThat(actual.counts()).isEqualTo(expected.counts());
            assertThat(actual.quality()).isEqualTo(expected.quality());
            assertThat(actual.latency()).isEqualTo(expected.latency());
        }
    }

    /** Delegates everything but hides the JDBC store's class, so that the monitor scans the rows. */
    private record ScanOnly(MonitorStore store) implements MonitorStore {
        @Override
        public long reserveIds(int count) throws java.io.IOException {
            return store.reserveIds(count);
        }

        @Override
        public void write(List<io.mlops.monitor.spi.PredictionRecord> p, List<io.mlops.monitor.spi.FeedbackRecord> f,
                          List<io.mlops.monitor.spi.ErrorRecord> e) throws java.io.IOException {
            store.write(p, f, e);
        }

        @Override
        public List<io.mlops.monitor.spi.Observation> observations(long from, long to, String v) throws java.io.IOException {
            return store.observations(from, to, v);
        }

        @Override
        public List<io.mlops.monitor.spi.ErrorRecord> errors(long from, long to, String v) throws java.io.IOException {
            return store.errors(from, to, v);
        }

        @Override
        public java.util.Optional<io.mlops.monitor.spi.Observation> observation(long id) throws java.io.IOException {
            return store.observation(id);
        }

        @Override
        public long insertAlert(io.mlops.monitor.Alert alert) throws java.io.IOException {
            return store.insertAlert(alert);
        }

        @Override
        public boolean resolveAlert(long id, long at) throws java.io.IOException {
            return store.resolveAlert(id, at);
        }

        @Override
        public List<io.mlops.monitor.Alert> activeAlerts() throws java.io.IOException {
            return store.activeAlerts();
        }

        @Override
        public long purge(long before) throws java.io.IOException {
            return store.purge(before);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
