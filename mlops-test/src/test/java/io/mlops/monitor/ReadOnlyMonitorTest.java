package io.mlops.monitor;

import io.mlops.core.NotFoundException;
import io.mlops.core.ReadOnlyException;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code MonitorStore.jdbcReadOnly} reads a shared monitor database without creating or writing
 * anything (PostgreSQL; skipped, saying so, when the local server is not reachable).
 */
class ReadOnlyMonitorTest {

    @Test
    void aReadOnlyMonitorReadsMetricsAndAlertsAndNeitherCreatesNorWrites() throws Exception {
        TestDatabases.PostgresSchema schema = TestDatabases.postgres(getClass().getSimpleName()).orElse(null);
        Assumptions.assumeTrue(schema != null, "PostgreSQL not reachable at 127.0.0.1:5432");
        try (schema) {
            assertThatThrownBy(() -> MonitorStore.jdbcReadOnly(schema.dataSource())).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("No monitor tables");
            try (Connection c = schema.dataSource().getConnection();
                 ResultSet tables = c.getMetaData().getTables(null, schema.name(), "%", null)) {
                assertThat(tables.next()).as("nothing was created").isFalse();
            }
            try (ModelMonitor writer = ModelMonitor.builder().store(MonitorStore.jdbc(schema.dataSource())).build()) {
                for (int i = 0; i < 5; i++) {
                    writer.prediction().input(Map.of("x", i)).output(1).modelVersion("1.0.0").log();
                }
                writer.flush();
            }
            try (ModelMonitor reader = ModelMonitor.builder().store(MonitorStore.jdbcReadOnly(schema.dataSource())).build()) {
                assertThat(reader.metrics(Duration.ofHours(1)).counts().predictions()).isEqualTo(5);
                assertThat(reader.activeAlerts()).isEmpty();
                assertThat(reader.dashboard()).isNotNull();
                assertThatThrownBy(() -> reader.prediction().output(1).log()).isInstanceOf(ReadOnlyException.class);
                assertThatThrownBy(() -> reader.error("1.0.0", "x")).isInstanceOf(ReadOnlyException.class);
            }
        }
    }
}
