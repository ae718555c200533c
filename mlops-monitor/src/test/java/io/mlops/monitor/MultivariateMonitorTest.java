package io.mlops.monitor;

import io.mlops.core.Dataset;
import io.mlops.core.ManualClock;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.Multivariate;
import io.mlops.drift.MultivariateDrift;
import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.spi.MonitorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Multivariate drift over the monitor's windows: a monitor given a PCA reconstruction method fitted
 * on the training data samples each hour's input rows, and an hour whose two features flip from a
 * correlation of +0.9 to -0.9 — every feature's own distribution unchanged, so no per-feature test
 * flags it — opens a MULTIVARIATE_DRIFT alert, while an hour like the training data does not; the
 * sampled rows are kept with the hour's profile in the SQL store, so the verdict is the same after
 * a restart; and 30 clean hours keep the method's false-alarm rate (seeded).
 */
class MultivariateMonitorTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    /** Rows of a, b (correlation {@code rho}) and an independent c, standard normal marginals. */
    static List<Map<String, Object>> rows(int n, double rho, long seed) {
        Random r = new Random(seed);
        List<Map<String, Object>> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian();
            double b = rho * a + Math.sqrt(1 - rho * rho) * r.nextGaussian();
            out.add(Map.of("a", a, "b", b, "c", r.nextGaussian()));
        }
        return out;
    }

    static Dataset dataset(List<Map<String, Object>> rows) {
        Dataset.Builder b = Dataset.builder();
        for (String f : List.of("a", "b", "c")) {
            b.numeric(f, rows.stream().mapToDouble(m -> (Double) m.get(f)).toArray());
        }
        return b.build();
    }

    final Dataset training = dataset(rows(5_000, 0.9, 1));
    final ReferenceProfile reference = DriftDetector.builder(training).build().profile();
    final MultivariateDrift pca = Multivariate.pcaReconstruction().fit(training);
    final ManualClock clock = new ManualClock(T0);

    ModelMonitor monitor(List<Alert> heard) {
        return ModelMonitor.builder().store(MonitorStore.sqlite(dir.resolve("m.db"))).clock(clock).defaultRules(false)
                .driftReference(reference).multivariateDrift(pca, 500).checkInterval(Duration.ofDays(1))
                .rule(AlertRule.when(Metric.MULTIVARIATE_DRIFT).above(0).over(Duration.ofHours(1)).named("together"))
                .rule(AlertRule.when(Metric.DRIFTED_FEATURES).above(0).over(Duration.ofHours(1)).named("apart"))
                .onAlert(heard::add).build();
    }

    static void logHour(ModelMonitor m, ManualClock clock, int hour, List<Map<String, Object>> rows) {
        clock.set(T0.plus(Duration.ofHours(hour)));
        for (Map<String, Object> row : rows) {
            m.prediction().input(row).output(1).log();
            clock.advance(Duration.ofMillis(3_000_000L / rows.size()));
        }
        clock.set(T0.plus(Duration.ofHours(hour + 1)).minusSeconds(60)); // the one-hour window is this hour
    }

    @Test
    void aCorrelationFlipIsFoundTogetherThatNoFeatureShowsApart() {
        List<Alert> heard = new CopyOnWriteArrayList<>();
        try (ModelMonitor m = monitor(heard)) {
            logHour(m, clock, 0, rows(2_000, 0.9, 2));
            m.checkNow();
            DriftReport clean = m.drift(Duration.ofHours(1), reference);
            assertThat(clean.multivariate().driftDetected()).isFalse();
            assertThat(clean.multivariate().rows()).as("the hour's sample").isEqualTo(500);
            assertThat(heard).isEmpty();

            logHour(m, clock, 1, rows(2_000, -0.9, 3));
            m.checkNow();
            DriftReport flipped = m.drift(Duration.ofHours(1), reference);
            assertThat(flipped.driftedFeatures()).as("every marginal is unchanged").isEmpty();
            assertThat(flipped.multivariate().driftDetected()).isTrue();
            assertThat(flipped.multivariate().value()).isGreaterThan(flipped.multivariate().upper());
            assertThat(heard).extracting(Alert::rule).containsExactly("together");
            // two hours: one uniform sample of both, drawn until either hour's 500 run out (about 955 of 1,000)
            assertThat(m.drift(Duration.ofHours(2), reference).multivariate().rows()).isBetween(900L, 1_000L);
        }
        // the samples were saved with the hours' profiles: a restarted monitor sees the same verdict
        try (ModelMonitor again = monitor(new CopyOnWriteArrayList<>())) {
            DriftReport flipped = again.drift(Duration.ofHours(1), reference);
            assertThat(flipped.multivariate().driftDetected()).isTrue();
            assertThat(flipped.multivariate().rows()).isEqualTo(500);
        }
    }

    @Test
    void cleanHoursKeepTheMethodsFalseAlarmRate() {
        // PCA at 3 standard errors: about 0.27% of clean windows; 30 hours with 500 sampled rows each
        int alarms = 0;
        List<Alert> heard = new CopyOnWriteArrayList<>();
        try (ModelMonitor m = ModelMonitor.builder().clock(clock).defaultRules(false).driftReference(reference)
                .multivariateDrift(pca, 500).build()) {
            for (int h = 0; h < 30; h++) {
                logHour(m, clock, h, rows(800, 0.9, 100 + h));
                if (m.drift(Duration.ofHours(1), reference).multivariate().driftDetected()) {
                    alarms++;
                }
            }
        }
        // P(2 or more of 30 | p = 0.0027) < 0.4%
        assertThat(alarms).isLessThanOrEqualTo(1);
        assertThat(heard).isEmpty();
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> ModelMonitor.builder().multivariateDrift(pca, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rowsPerHour");
        assertThatThrownBy(() -> ModelMonitor.builder().driftReference(reference)
                .rule(AlertRule.when(Metric.MULTIVARIATE_DRIFT).above(0)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multivariateDrift");
        assertThatThrownBy(() -> ModelMonitor.builder().multivariateDrift(pca).profileInputs(false).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("profileInputs");
    }
}
