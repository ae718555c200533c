package io.mlops.monitor;

import io.mlops.core.ManualClock;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Two monitors named as instances of one fleet share a PostgreSQL store (a schema of this test's;
 * skipped, saying so, when the local server is not reachable): either one's metrics describe both
 * instances' traffic exactly, and an alert opens once for the fleet.
 */
class FleetMonitorTest {

    private TestDatabases.PostgresSchema schema;
    private final List<ModelMonitor> monitors = new ArrayList<>();

    @BeforeEach
    void database() {
        schema = TestDatabases.postgres(getClass().getSimpleName()).orElse(null);
        Assumptions.assumeTrue(schema != null, "PostgreSQL not reachable at 127.0.0.1:5432");
    }

    @AfterEach
    void close() throws Exception {
        monitors.forEach(ModelMonitor::close);
        if (schema != null) {
            schema.close();
        }
    }

    private ModelMonitor monitor(String instance, ManualClock clock, List<Alert> heard) {
        ModelMonitor m = ModelMonitor.builder().store(MonitorStore.jdbc(schema.dataSource())).instance(instance)
                .clock(clock).defaultRules(false).checkInterval(Duration.ofHours(1))
                .rule(AlertRule.when(Metric.ERROR_RATE).above(0.05).over(Duration.ofMinutes(30)).minSamples(50))
                .onAlert(heard::add).build();
        monitors.add(m);
        return m;
    }

    @Test
    void localMetricsAreThisInstancesShareWithoutReadingTheStore() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-29T09:30:00Z"));
        ModelMonitor one = monitor("pod-1", clock, new ArrayList<>());
        ModelMonitor two = monitor("pod-2", clock, new ArrayList<>());
        for (int i = 0; i < 30; i++) {
            one.prediction().output(1).latency(Duration.ofMillis(5)).modelVersion("1.0.0").log();
        }
        for (int i = 0; i < 12; i++) {
            two.prediction().output(1).modelVersion(i % 2 == 0 ? "1.0.0" : "2.0.0").log();
        }
        two.error("2.0.0", "timeout");
        one.flush();
        two.flush();
        assertThat(one.metrics(Duration.ofHours(1), null).counts().requests()).as("the fleet").isEqualTo(43);
        assertThat(one.localMetrics(Duration.ofHours(1), null).counts().requests()).as("pod-1's share").isEqualTo(30);
        assertThat(two.localMetrics(Duration.ofHours(1), "2.0.0").counts().requests()).isEqualTo(7);
        assertThat(two.localMetrics(Duration.ofHours(1), "2.0.0").counts().errors()).isEqualTo(1);
        assertThat(one.modelVersions(Duration.ofHours(1))).containsExactly("1.0.0");
        assertThat(two.modelVersions(Duration.ofHours(1))).containsExactly("1.0.0", "2.0.0");
        assertThat(one.queuedRecords()).as("flushed").isZero();

    }

    @Test
    void theFleetsTimelineCountsEveryInstanceStepByStep() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-29T09:30:00Z"));
        ModelMonitor one = monitor("pod-1", clock, new ArrayList<>());
        ModelMonitor two = monitor("pod-2", clock, new ArrayList<>());
        long[] expectedPredictions = new long[24];
        long[] expectedErrors = new long[24];
        for (int hour = 0; hour < 26; hour++) { // two hours more than the timeline shows
            for (int i = 0; i < 3 + hour; i++) {
                (i % 2 == 0 ? one : two).prediction().output(1).latency(Duration.ofMillis(5)).modelVersion("1.0.0").log();
            }
            for (int i = 0; i < hour % 4; i++) {
                two.error("1.0.0", "timeout");
            }
            one.prediction().output(1).modelVersion("2.0.0").log(); // another version: not counted below
            if (hour >= 2) {
                expectedPredictions[hour - 2] = 3 + hour;
                expectedErrors[hour - 2] = hour % 4;
            }
            if (hour < 25) {
                clock.advance(Duration.ofHours(1)); // the last hour's traffic: the timeline's last step
            }
        }
        one.flush();
        two.flush();
        for (ModelMonitor m : List.of(one, two)) {
            List<MetricsSnapshot> timeline = m.timeline(Duration.ofHours(24), Duration.ofHours(1), "1.0.0");
            assertThat(timeline).hasSize(24);
            assertThat(timeline.stream().mapToLong(t -> t.counts().predictions()).toArray()).containsExactly(expectedPredictions);
            assertThat(timeline.stream().mapToLong(t -> t.counts().errors()).toArray()).containsExactly(expectedErrors);
        }
    }

    @Test
    void liveDriftCoversEveryInstancesTraffic() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-30T10:00:00Z"));
        Random random = new Random(21);
        double[] train = new double[5_000];
        for (int i = 0; i < train.length; i++) {
            train[i] = random.nextGaussian();
        }
        io.mlops.drift.ReferenceProfile reference = io.mlops.drift.DriftDetector.builder(
                io.mlops.core.Dataset.builder().numeric("x", train).build()).build().profile();
        ModelMonitor one = monitor("pod-1", clock, new ArrayList<>());
        ModelMonitor two = monitor("pod-2", clock, new ArrayList<>());
        for (int i = 0; i < 700; i++) {
            one.prediction().input(Map.of("x", random.nextGaussian())).output(1).log();
            two.prediction().input(Map.of("x", random.nextGaussian() + 1.5)).output(1).log(); // pod-2's traffic moved
        }
        one.flush();
        two.flush();
        for (ModelMonitor m : List.of(one, two)) {
            io.mlops.drift.DriftReport report = m.drift(Duration.ofHours(1), reference);
            assertThat(report.currentRows()).as("both instances' 1,400 rows").isEqualTo(1_400);
            assertThat(report.features().get("x").driftDetected()).isTrue();
            io.mlops.drift.FeatureDrift.NumericStats stats = (io.mlops.drift.FeatureDrift.NumericStats) report.features().get("x").stats();
            assertThat(stats.currentMean()).as("the mixture's mean").isCloseTo(0.75, within(0.1));
        }
    }

    @Test
    void eitherInstanceSeesTheWholeFleetExactly() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-30T10:00:00Z"));
        List<Alert> heard = new CopyOnWriteArrayList<>();
        ModelMonitor a = monitor("pod-1", clock, heard);
        ModelMonitor b = monitor("pod-2", clock, heard);
        Random random = new Random(20261130);
        List<Long> latenciesMicros = new ArrayList<>();
        int predictions = 0;
        int withFeedback = 0;
        int correct = 0;
        int errors = 0;
        for (int minute = 0; minute < 20; minute++) {
            List<long[]> served = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ModelMonitor m = random.nextInt(5) < 3 ? a : b;
                int predicted = random.nextInt(2);
                long micros = 500 + random.nextInt(40_000);
                latenciesMicros.add(micros);
                long id = m.prediction().input(Map.of("x", i)).output(predicted).latency(Duration.ofNanos(micros * 1000))
                        .modelVersion(m == a ? "1.0.0" : "1.1.0").log();
                served.add(new long[] {id, predicted});
                predictions++;
                if (random.nextDouble() < 0.02) {
                    m.error(m == a ? "1.0.0" : "1.1.0", "timeout");
                    errors++;
                }
            }
            a.flush();
            b.flush();
            // feedback comes later, and often to the other instance than the one that served the prediction
            for (long[] p : served) {
                if (random.nextDouble() < 0.4) {
                    int actual = random.nextDouble() < 0.8 ? (int) p[1] : 1 - (int) p[1];
                    (random.nextBoolean() ? a : b).feedback(p[0], actual);
                    withFeedback++;
                    correct += actual == p[1] ? 1 : 0;
                }
            }
            clock.advance(Duration.ofMinutes(1));
        }
        a.flush();
        b.flush();
        for (ModelMonitor m : List.of(a, b)) {
            MetricsSnapshot s = m.metrics(Duration.ofHours(1));
            assertThat(s.counts().predictions()).isEqualTo(predictions);
            assertThat(s.counts().errors()).isEqualTo(errors);
            assertThat(s.counts().requests()).isEqualTo(predictions + errors);
            assertThat(s.counts().withFeedback()).isEqualTo(withFeedback);
            assertThat(s.quality().accuracy()).isCloseTo((double) correct / withFeedback, within(1e-12));
            assertThat(s.value(Metric.ERROR_RATE)).isCloseTo((double) errors / (predictions + errors), within(1e-12));
            // HdrHistogram with 2 significant digits: within 1% of the nearest-rank value (as for one monitor)
            Collections.sort(latenciesMicros);
            double p95 = latenciesMicros.get((int) Math.ceil(0.95 * latenciesMicros.size()) - 1) / 1000.0;
            assertThat(s.latency().p95Ms()).isCloseTo(p95, within(p95 * 0.01 + 0.001));
            double avg = latenciesMicros.stream().mapToLong(Long::longValue).average().orElseThrow() / 1000.0;
            assertThat(s.latency().avgMs()).isCloseTo(avg, within(1e-9));
            assertThat(m.dashboard().requestsPerHour().stream().mapToLong(h -> h.requests()).sum()).isEqualTo(predictions + errors);
        }
        assertThat(a.metrics(Duration.ofHours(1), "1.1.0")).isEqualTo(b.metrics(Duration.ofHours(1), "1.1.0"));
        // the dashboard shows both instances' versions side by side
        Dashboard d = b.dashboard();
        assertThat(d.byVersion().keySet()).containsExactly("1.0.0", "1.1.0");
        assertThat(d.byVersion().get("1.0.0").counts().predictions() + d.byVersion().get("1.1.0").counts().predictions())
                .isEqualTo(predictions);
    }

    @Test
    void anAlertOpensOnceForTheFleetAndEitherInstanceResolvesIt() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-30T10:00:00Z"));
        List<Alert> heard = new CopyOnWriteArrayList<>();
        ModelMonitor a = monitor("pod-1", clock, heard);
        ModelMonitor b = monitor("pod-2", clock, heard);
        for (int i = 0; i < 100; i++) {
            (i % 2 == 0 ? a : b).prediction().output(1).latency(Duration.ofMillis(5)).log();
            if (i % 10 == 0) {
                (i % 4 == 0 ? a : b).error(null, "boom"); // 10 errors in 110 requests: 9%, neither alone has 50 samples of it
            }
        }
        a.flush();
        b.flush();
        a.checkNow();
        b.checkNow();
        a.checkNow();
        assertThat(heard).hasSize(1);
        assertThat(heard.get(0).message()).contains("found by instance pod-1");
        assertThat(a.activeAlerts()).hasSize(1);
        assertThat(b.activeAlerts()).hasSize(1).isEqualTo(a.activeAlerts());
        // the fleet recovers: many good requests later, the instance that did not open it resolves it
        for (int i = 0; i < 400; i++) {
            (i % 2 == 0 ? a : b).prediction().output(1).latency(Duration.ofMillis(5)).log();
        }
        a.flush();
        b.flush();
        b.checkNow();
        assertThat(a.activeAlerts()).isEmpty();
        a.checkNow();
        assertThat(heard).hasSize(1);
    }

    @Test
    void anInstanceNeedsASharedStore() {
        assertThatThrownBy(() -> ModelMonitor.builder().instance("pod-7").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("MonitorStore.jdbc");
        assertThatThrownBy(() -> ModelMonitor.builder().instance("../pod"))
                .hasMessageContaining("instance");
    }
}
