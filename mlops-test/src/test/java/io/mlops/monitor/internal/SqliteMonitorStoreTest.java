package io.mlops.monitor.internal;

import io.mlops.monitor.spi.MonitorStore;
import io.mlops.test.MonitorStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteMonitorStoreTest extends MonitorStoreContract {

    @TempDir
    Path dir;

    @Override
    protected MonitorStore newStore() {
        return MonitorStore.sqlite(dir.resolve("sub/monitor.db"));
    }

    @Test
    void theFileIsARealSqliteDatabaseInWalMode() throws Exception {
        store.reserveIds(1);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sub/monitor.db"));
             ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void idBlocksContinueAfterReopening() throws Exception {
        long first = store.reserveIds(10);
        store.close();
        store = newStore();
        assertThat(store.reserveIds(10)).isGreaterThanOrEqualTo(first + 10);
    }
}
