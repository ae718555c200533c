package io.mlops.monitor;

import io.mlops.core.ManualClock;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.spi.MonitorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live input profiles kept in the monitor's SQL store: drift over a window covers the traffic
 * before a restart and that of other monitors sharing the store, without counting anything twice,
 * and a damaged stored profile leaves out only its own writer's hour.
 */
class StoredProfilesTest {

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T10:05:00Z"));
    final ReferenceProfile reference = DriftDetector.builder(LiveDriftTest.dataset(LiveDriftTest.rows(20_000, 1, 0.0, "normal", false)))
            .build().profile();

    ModelMonitor monitor(String instance) {
        ModelMonitor.Builder b = ModelMonitor.builder().store(MonitorStore.sqlite(dir.resolve("monitor.db"))).clock(clock)
                .defaultRules(false).checkInterval(Duration.ofHours(1));
        return (instance == null ? b : b.instance(instance)).build();
    }

    static void log(ModelMonitor monitor, int n, long seed, double shift) {
        for (Map<String, Object> row : LiveDriftTest.rows(n, seed, shift, "normal", false)) {
            monitor.prediction().input(row).output(1).log();
        }
    }

    @Test
    void driftCoversTheTrafficBeforeARestart() {
        try (ModelMonitor before = monitor(null)) {
            log(before, 400, 2, 1.0); // shifted
        } // close saves the profiles
        try (ModelMonitor after = monitor(null)) {
            log(after, 300, 3, 1.0);
            DriftReport report = after.drift(Duration.ofHours(1), reference);
            assertThat(report.currentRows()).isEqualTo(700);
            assertThat(report.features().get("x").driftDetected()).isTrue();
        }
    }

    @Test
    void aNamedInstanceTakesItsHoursBackAndNothingCountsTwice() {
        try (ModelMonitor first = monitor("pod-1")) {
            log(first, 500, 4, 0.0);
            first.flush();
            assertThat(first.drift(Duration.ofHours(1), reference).currentRows()).isEqualTo(500);
        }
        try (ModelMonitor again = monitor("pod-1"); ModelMonitor other = monitor("pod-2")) {
            log(again, 250, 5, 0.0);
            log(other, 100, 6, 0.0);
            other.flush();
            assertThat(again.drift(Duration.ofHours(1), reference).currentRows()).isEqualTo(850);
            again.flush();
            clock.advance(Duration.ofSeconds(1));
            assertThat(other.drift(Duration.ofHours(1), reference).currentRows()).isEqualTo(850);
            assertThat(again.drift(Duration.ofHours(1), reference).features().get("x").driftDetected()).isFalse();
        }
    }

    @Test
    void aDamagedStoredProfileLeavesOutOnlyItsWritersHour() throws Exception {
        try (ModelMonitor one = monitor("pod-1"); ModelMonitor two = monitor("pod-2")) {
            log(one, 300, 7, 0.0);
            log(two, 200, 8, 0.0);
            one.flush();
            two.flush();
            assertThat(one.drift(Duration.ofHours(1), reference).currentRows()).isEqualTo(500);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("monitor.db"));
                 Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("UPDATE input_profiles SET profile = X'4D4C50310000' WHERE writer = 'pod-2'"))
                        .isEqualTo(1);
            }
            assertThat(one.drift(Duration.ofHours(1), reference).currentRows()).as("pod-2's hour is skipped").isEqualTo(300);
            assertThat(two.drift(Duration.ofHours(1), reference).currentRows()).as("its own hour is in memory")
                    .isEqualTo(500);
        }
    }
}
