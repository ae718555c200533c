package io.mlops.monitor.internal;

import io.mlops.core.ManualClock;
import io.mlops.core.StorageException;
import io.mlops.monitor.Alert;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The monitor's tables are versioned like the registry's and the data's ({@code mlops_schema_version},
 * component {@code monitor}): a database written by the first release (no version, no totals, no
 * profiles, several open alerts per rule) is upgraded in place when a store opens it, its rows
 * intact; a second open changes nothing; a database from a newer release is refused. On SQLite and
 * on PostgreSQL (skipped, saying so, when 127.0.0.1:5432 is not reachable).
 */
class MonitorSchemaUpgradeTest {

    @TempDir
    Path dir;

    /** The tables as the first release created them, on either database. */
    private static List<String> firstRelease(boolean sqlite) {
        String id = sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
        String dbl = sqlite ? "REAL" : "DOUBLE PRECISION";
        return List.of(
                "CREATE TABLE predictions (id BIGINT PRIMARY KEY, ts_ms BIGINT NOT NULL, model_version TEXT,"
                        + " input TEXT, output TEXT, probability " + dbl + ", latency_us BIGINT, user_id TEXT)",
                "CREATE INDEX predictions_ts ON predictions (ts_ms)",
                "CREATE TABLE feedback (prediction_id BIGINT PRIMARY KEY, ts_ms BIGINT NOT NULL, actual TEXT)",
                "CREATE TABLE errors (id " + id + ", ts_ms BIGINT NOT NULL, model_version TEXT, message TEXT)",
                "CREATE INDEX errors_ts ON errors (ts_ms)",
                "CREATE TABLE alerts (id " + id + ", rule TEXT NOT NULL, metric TEXT NOT NULL, severity TEXT NOT NULL,"
                        + " message TEXT, value " + dbl + ", threshold " + dbl + ", model_version TEXT, opened_ms BIGINT NOT NULL,"
                        + " resolved_ms BIGINT)",
                "CREATE TABLE mlops_ids (name TEXT PRIMARY KEY, next_id BIGINT NOT NULL)");
    }

    private record Db(DataSource dataSource, Supplier<MonitorStore> stores, AutoCloseable closer, boolean sqlite) {
    }

    private Db database(String kind) throws Exception {
        if (kind.equals("postgres")) {
            Optional<TestDatabases.PostgresSchema> pg = TestDatabases.postgres("MonitorSchemaUpgradeTest[postgres]");
            assumeTrue(pg.isPresent(), "SKIPPED: PostgreSQL not reachable at 127.0.0.1:5432");
            TestDatabases.PostgresSchema schema = pg.get();
            return new Db(schema.dataSource(), () -> MonitorStore.jdbc(schema.dataSource()), schema, false);
        }
        Path file = dir.resolve("old.db");
        var pool = TestDatabases.sqlite(file);
        return new Db(pool, () -> MonitorStore.sqlite(file), pool, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aFirstReleaseDatabaseIsUpgradedInPlaceWithItsRows(String kind) throws Exception {
        Db db = database(kind);
        try (AutoCloseable closer = db.closer()) {
            long t0 = Instant.parse("2026-11-30T00:00:00Z").toEpochMilli();
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                for (String ddl : firstRelease(db.sqlite())) {
                    s.execute(ddl);
                }
                for (int i = 0; i < 120; i++) {
                    s.execute("INSERT INTO predictions VALUES (" + (i + 1) + ", " + (t0 + i * 20_000L) + ", '1.0.0', '{\"x\":" + i
                            + "}', '" + (i % 2) + "', NULL, " + (1_000 + i) + ", NULL)");
                    if (i % 3 == 0) {
                        s.execute("INSERT INTO feedback VALUES (" + (i + 1) + ", " + (t0 + i * 20_000L + 1) + ", '1')");
                    }
                }
                s.execute("INSERT INTO errors (ts_ms, model_version, message) VALUES (" + (t0 + 5) + ", '1.0.0', 'boom')");
                // two instances of the first release each opened the same alert
                for (int i = 0; i < 2; i++) {
                    s.execute("INSERT INTO alerts (rule, metric, severity, message, value, threshold, model_version, opened_ms)"
                            + " VALUES ('errors', 'ERROR_RATE', 'CRITICAL', 'too many', 0.2, 0.1, '1.0.0', " + (t0 + i) + ")");
                }
                s.execute("INSERT INTO mlops_ids VALUES ('predictions', 1000)");
            }
            ManualClock clock = new ManualClock(Instant.ofEpochMilli(t0).plus(Duration.ofMinutes(45)));
            MetricsSnapshot upgraded;
            try (ModelMonitor m = ModelMonitor.builder().store(db.stores().get()).clock(clock).build()) {
                upgraded = m.exactMetrics(Duration.ofHours(1), null);
                assertThat(upgraded.counts().predictions()).isEqualTo(120);
                assertThat(upgraded.counts().errors()).isEqualTo(1);
                assertThat(upgraded.counts().withFeedback()).isEqualTo(40);
                assertThat(m.activeAlerts()).extracting(Alert::rule).containsExactly("errors");
                long id = m.prediction().output(1).latency(Duration.ofMillis(2)).modelVersion("1.0.0").log();
                assertThat(id).isGreaterThan(120); // the old id block is respected
                m.flush();
            }
            long versionWritten;
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT version, updated_ms FROM mlops_schema_version WHERE component = 'monitor'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(MonitorSchema.steps(db.sqlite()
                            ? io.mlops.core.internal.sql.SqlDatabase.Dialect.SQLITE
                            : io.mlops.core.internal.sql.SqlDatabase.Dialect.POSTGRESQL).size());
                    versionWritten = rs.getLong(2);
                }
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + MinuteTotals.TABLE)) {
                    assertThat(rs.next() && rs.getLong(1) > 0).as("totals filled from the old rows").isTrue();
                }
            }
            // a second open finds the newest version and changes nothing
            try (ModelMonitor m = ModelMonitor.builder().store(db.stores().get()).clock(clock).build()) {
                assertThat(m.exactMetrics(Duration.ofHours(1), null).counts().predictions()).isEqualTo(121);
            }
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT updated_ms FROM mlops_schema_version WHERE component = 'monitor'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(versionWritten);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aDatabaseFromANewerReleaseIsRefusedUntouched(String kind) throws Exception {
        Db db = database(kind);
        try (AutoCloseable closer = db.closer()) {
            db.stores().get().close();
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("UPDATE mlops_schema_version SET version = 99 WHERE component = 'monitor'");
            }
            assertThatThrownBy(() -> db.stores().get().close())
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("monitor schema version 99")
                    .hasMessageContaining("upgrade mlops");
        }
    }
}
