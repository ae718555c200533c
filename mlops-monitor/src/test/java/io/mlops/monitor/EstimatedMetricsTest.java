package io.mlops.monitor;

import io.mlops.core.ManualClock;
import io.mlops.monitor.spi.MonitorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Performance estimated without labels as monitor metrics: a monitor given a binary CBPE estimator
 * reports, per window, the same estimate as {@link PerformanceEstimator#estimate} on the window's
 * scores (to 1e-9) beside the realised metrics of the labels that arrive; from its live aggregates,
 * from the SQL store's totals after a restart, and from the rows when a totals row is damaged; and
 * an alert rule on the estimated accuracy fires on a window whose estimate falls, with no label at
 * all. Data: the committed synthetic CBPE dataset (reference period and five chunks of 1,000).
 */
class EstimatedMetricsTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    /** A moment whose one-hour window (ending with the current minute) is hour {@code h - 1}. */
    private static Instant endOfHour(int h) {
        return T0.plus(Duration.ofHours(h)).minusSeconds(60);
    }

    private static PerformanceEstimatorTest.Data data() throws Exception {
        return PerformanceEstimatorTest.read("synthetic");
    }

    /** Logs a chunk in hour {@code hour}: output from the score at 0.5, the logged probability the confidence in it. */
    private static List<Long> logChunk(ModelMonitor m, ManualClock clock, double[] scores, int hour) {
        List<Long> ids = new ArrayList<>();
        clock.set(T0.plus(Duration.ofHours(hour)));
        for (double s : scores) {
            int output = s >= 0.5 ? 1 : 0;
            ids.add(m.prediction().input(Map.of("x", s)).output(output).probability(output == 1 ? s : 1 - s)
                    .latency(Duration.ofMillis(1)).log());
            clock.advance(Duration.ofMillis(3_000));
        }
        return ids;
    }

    private static void assertEstimate(MetricsSnapshot.Estimated got, EstimatedPerformance expected) {
        assertThat(got.predictions()).isEqualTo(expected.rows());
        assertThat(got.accuracy()).isCloseTo(expected.accuracy(), within(1e-9));
        assertThat(got.precision()).isCloseTo(expected.precision(), within(1e-9));
        assertThat(got.recall()).isCloseTo(expected.recall(), within(1e-9));
        assertThat(got.f1()).isCloseTo(expected.f1(), within(1e-9));
        assertThat(got.accuracyStandardError()).isCloseTo(expected.accuracyError(), within(1e-9));
    }

    @Test
    void theMonitorsEstimateIsTheEstimatorsOnTheWindowBesideTheRealised() throws Exception {
        PerformanceEstimatorTest.Data d = data();
        PerformanceEstimator cbpe = PerformanceEstimator.cbpe(d.refScores(), d.refLabels());
        ManualClock clock = new ManualClock(T0);
        Path db = dir.resolve("m.db");
        EstimatedPerformance chunk0 = cbpe.estimate(d.chunkScores().get(0));
        EstimatedPerformance chunk1 = cbpe.estimate(d.chunkScores().get(1));
        double[] both = new double[2000];
        System.arraycopy(d.chunkScores().get(0), 0, both, 0, 1000);
        System.arraycopy(d.chunkScores().get(1), 0, both, 1000, 1000);
        EstimatedPerformance hours01 = cbpe.estimate(both);
        try (ModelMonitor m = ModelMonitor.builder().store(MonitorStore.sqlite(db)).clock(clock).defaultRules(false)
                .positiveLabel(1).performanceEstimator(cbpe).build()) {
            List<Long> ids = logChunk(m, clock, d.chunkScores().get(0), 0);
            logChunk(m, clock, d.chunkScores().get(1), 1);
            // labels for the first chunk only: realised beside estimated there
            int[] labels = d.chunkLabels().get(0);
            for (int i = 0; i < ids.size(); i++) {
                m.feedback(ids.get(i), labels[i]);
            }
            clock.set(endOfHour(2));
            MetricsSnapshot second = m.metrics(Duration.ofHours(1));
            assertEstimate(second.estimated(), chunk1);
            assertThat(second.quality().accuracy()).as("no labels in the second hour").isNull();
            MetricsSnapshot twoHours = m.metrics(Duration.ofHours(2));
            assertEstimate(twoHours.estimated(), hours01);
            assertThat(twoHours.quality().accuracy()).isCloseTo(
                    PerformanceEstimator.realised(d.chunkScores().get(0), labels, 0.5).accuracy(), within(1e-12));
            assertThat(twoHours.value(Metric.ESTIMATED_ACCURACY)).isEqualTo(twoHours.estimated().accuracy());
            assertThat(twoHours.samples(Metric.ESTIMATED_F1)).isEqualTo(2000);
            m.flush();
            assertEstimate(m.exactMetrics(Duration.ofHours(2), null).estimated(), hours01);
        }
        // a restart reads the estimate back from the store's totals
        try (ModelMonitor m = ModelMonitor.builder().store(MonitorStore.sqlite(db)).clock(clock).defaultRules(false)
                .positiveLabel(1).performanceEstimator(cbpe).build()) {
            assertEstimate(m.metrics(Duration.ofHours(2)).estimated(), hours01);
            clock.set(endOfHour(1));
            assertEstimate(m.exactMetrics(Duration.ofHours(1), null).estimated(), chunk0);
        }
        // a damaged totals row: the window is read from the stored predictions instead, with the same estimate
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE metric_totals SET estimated = '[[\"1\", 5, 9]]'")).isPositive();
        }
        clock.set(endOfHour(2));
        try (ModelMonitor m = ModelMonitor.builder().store(MonitorStore.sqlite(db)).clock(clock).defaultRules(false)
                .positiveLabel(1).performanceEstimator(cbpe).build()) {
            assertEstimate(m.exactMetrics(Duration.ofHours(2), null).estimated(), hours01);
        }
    }

    @Test
    void theInMemoryStoresRowsGiveTheSameEstimate() throws Exception {
        PerformanceEstimatorTest.Data d = data();
        PerformanceEstimator cbpe = PerformanceEstimator.cbpe(d.refScores(), d.refLabels());
        ManualClock clock = new ManualClock(T0);
        try (ModelMonitor m = ModelMonitor.builder().clock(clock).defaultRules(false).performanceEstimator(cbpe).build()) {
            logChunk(m, clock, d.chunkScores().get(2), 0);
            m.prediction().output(1).log(); // no probability: not part of the estimate
            clock.set(endOfHour(1));
            MetricsSnapshot exact = m.exactMetrics(Duration.ofHours(1), null);
            assertEstimate(exact.estimated(), cbpe.estimate(d.chunkScores().get(2)));
            assertThat(exact.counts().predictions()).isEqualTo(1001);
        }
    }

    @Test
    void anAlertOnTheEstimatedAccuracyFiresWithoutLabels() throws Exception {
        PerformanceEstimatorTest.Data d = data();
        PerformanceEstimator cbpe = PerformanceEstimator.cbpe(d.refScores(), d.refLabels());
        double first = cbpe.estimate(d.chunkScores().get(0)).accuracy();
        double second = cbpe.estimate(d.chunkScores().get(1)).accuracy();
        assertThat(first).isGreaterThan(0.63);
        assertThat(second).isLessThan(0.63);
        ManualClock clock = new ManualClock(T0);
        List<Alert> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ModelMonitor m = ModelMonitor.builder().clock(clock).defaultRules(false).performanceEstimator(cbpe)
                .rule(AlertRule.when(Metric.ESTIMATED_ACCURACY).below(0.63).over(Duration.ofHours(1)).named("estimated"))
                .onAlert(heard::add).checkInterval(Duration.ofDays(1)).build()) {
            logChunk(m, clock, d.chunkScores().get(0), 0);
            clock.set(endOfHour(1));
            m.checkNow();
            assertThat(heard).isEmpty();
            logChunk(m, clock, d.chunkScores().get(1), 1);
            clock.set(endOfHour(2));
            m.checkNow();
            assertThat(heard).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("estimated");
                assertThat(a.value()).isCloseTo(second, within(1e-9));
            });
        }
    }

    @Test
    void badSettingsAreRefusedAtBuild() throws Exception {
        PerformanceEstimatorTest.Data d = data();
        PerformanceEstimator binary = PerformanceEstimator.cbpe(d.refScores(), d.refLabels());
        PerformanceEstimator multiclass = PerformanceEstimator.cbpe(new double[][] {{0.8, 0.2}, {0.3, 0.7}, {0.6, 0.4}, {0.1, 0.9}},
                new int[] {0, 1, 0, 1});
        assertThatThrownBy(() -> ModelMonitor.builder().performanceEstimator(multiclass))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binary");
        assertThatThrownBy(() -> ModelMonitor.builder().rule(AlertRule.when(Metric.ESTIMATED_F1).below(0.5)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("performanceEstimator");
        assertThatThrownBy(() -> ModelMonitor.builder().task(Task.REGRESSION).defaultRules(false).performanceEstimator(binary).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("REGRESSION");
    }
}
