package io.mlops.monitor;

import io.mlops.test.ChildJvm;
import io.mlops.monitor.spi.MonitorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A child JVM logging continuously into SQLite is killed; what a completed flush acknowledged survives. */
class MonitorCrashIT {

    @TempDir
    Path dir;

    @Test
    void everyPredictionAcknowledgedByACompletedFlushSurvivesAKill() throws Exception {
        Path db = dir.resolve("monitor.db");
        String acknowledged;
        try (ChildJvm child = ChildJvm.start(LoggingChild.class, db.toString())) {
            child.awaitLine("flushed", Duration.ofSeconds(60));
            Thread.sleep(700);
            child.kill();
            List<String> flushed = child.output().stream().filter(l -> l.startsWith("flushed ")).toList();
            acknowledged = flushed.get(flushed.size() - 1);
        }
        String[] parts = acknowledged.split(" ");
        long firstId = Long.parseLong(parts[1]);
        long lastId = Long.parseLong(parts[2]);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM predictions WHERE id BETWEEN " + firstId + " AND " + lastId)) {
                rs.next();
                assertThat(rs.getLong(1)).as("predictions %d..%d acknowledged by flush", firstId, lastId)
                        .isEqualTo(lastId - firstId + 1);
            }
        }
        // and a monitor opens the file and carries on with fresh ids
        try (ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.sqlite(db)).build()) {
            assertThat(monitor.prediction().output(1).log()).isGreaterThan(lastId);
            assertThat(monitor.metrics(Duration.ofHours(1)).counts().predictions()).isGreaterThanOrEqualTo(lastId - firstId + 1);
        }
    }

    /** Child JVM: logs predictions as fast as it can, flushing every 2,000 and printing the ids covered. */
    public static final class LoggingChild {
        public static void main(String[] args) {
            ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.sqlite(Path.of(args[0]))).build();
            long first = -1;
            for (long i = 0; ; i++) {
                long id = monitor.prediction().input(Map.of("i", i)).output(i % 2).latency(Duration.ofMillis(1)).log();
                if (first < 0) {
                    first = id;
                }
                if (i % 2000 == 1999) {
                    monitor.flush();
                    System.out.println("flushed " + first + " " + id);
                    System.out.flush();
                }
            }
        }
    }
}
