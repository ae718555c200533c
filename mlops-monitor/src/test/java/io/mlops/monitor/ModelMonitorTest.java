package io.mlops.monitor;

import io.mlops.monitor.spi.MonitorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelMonitorTest {

    @TempDir
    Path dir;

    final io.mlops.core.ManualClock clock = new io.mlops.core.ManualClock(Instant.parse("2026-11-26T12:00:30Z"));

    ModelMonitor.Builder builder() {
        return ModelMonitor.builder().clock(clock).checkInterval(Duration.ofHours(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite"})
    void aPredictionIsFoundFromItsTraceAndItsTraceFromIt(String storeKind) {
        MonitorStore store = storeKind.equals("memory") ? MonitorStore.inMemory() : MonitorStore.sqlite(dir.resolve("t.db"));
        try (ModelMonitor monitor = builder().store(store).build()) {
            String trace = "0af7651916cd43dd8448eb211c80319c";
            long a = monitor.prediction().output(1).traceId(trace).log();
            long b = monitor.prediction().output(0).log();
            long c = monitor.prediction().output(1).traceId(trace).log();
            monitor.flush();
            assertThat(monitor.predictionsOfTrace(trace)).containsExactly(a, c);
            assertThat(monitor.traceOf(a)).contains(trace);
            assertThat(monitor.traceOf(b)).isEmpty();
            for (String bad : new String[] {"0AF7651916CD43DD8448EB211C80319C", "00000000000000000000000000000000", "abc",
                    "0af7651916cd43dd8448eb211c80319c0", "0af7651916cd43dd8448eb211c80319\u0000", "x".repeat(100_000)}) {
                assertThatThrownBy(() -> monitor.prediction().traceId(bad)).as(bad.length() > 40 ? "a long one" : bad)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 lowercase hexadecimal digits")
                        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
                assertThatThrownBy(() -> monitor.predictionsOfTrace(bad)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> monitor.prediction().traceId(null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Brute-force metrics over a seeded random log, against the monitor's aggregates and its exact recompute. */
    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite"})
    void metricsAgreeWithABruteForceComputation(String storeKind) {
        MonitorStore store = storeKind.equals("memory") ? MonitorStore.inMemory() : MonitorStore.sqlite(dir.resolve("m.db"));
        Random r = new Random(20261126);
        int n = 10_000;
        long[] latencies = new long[n];
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int correct = 0;
        int feedback = 0;
        try (ModelMonitor monitor = builder().store(store).build()) {
            for (int i = 0; i < n; i++) {
                int predicted = r.nextDouble() < 0.4 ? 1 : 0;
                latencies[i] = 200 + r.nextInt(50_000); // microseconds
                long id = monitor.prediction().input(Map.of("x", i)).output(predicted).probability(0.6)
                        .latency(Duration.ofNanos(latencies[i] * 1000)).modelVersion(i % 2 == 0 ? "1.0.0" : "2.0.0").log();
                if (r.nextDouble() < 0.3) {
                    int actual = r.nextDouble() < 0.7 ? predicted : 1 - predicted;
                    monitor.feedback(id, actual == 1 ? (Object) true : (Object) 0.0); // labels by value
                    feedback++;
                    correct += actual == predicted ? 1 : 0;
                    tp += actual == 1 && predicted == 1 ? 1 : 0;
                    fp += actual == 0 && predicted == 1 ? 1 : 0;
                    fn += actual == 1 && predicted == 0 ? 1 : 0;
                }
            }
            for (int i = 0; i < 25; i++) {
                monitor.error("1.0.0", "timeout");
            }
            MetricsSnapshot m = monitor.metrics(Duration.ofHours(1));
            double precision = tp / (double) (tp + fp);
            double recall = tp / (double) (tp + fn);
            assertThat(m.counts().predictions()).isEqualTo(n);
            assertThat(m.counts().requests()).isEqualTo(n + 25);
            assertThat(m.counts().errors()).isEqualTo(25);
            assertThat(m.counts().withFeedback()).isEqualTo(feedback);
            assertThat(m.quality().accuracy()).isCloseTo(correct / (double) feedback, within(1e-12));
            assertThat(m.quality().precision()).isCloseTo(precision, within(1e-12));
            assertThat(m.quality().recall()).isCloseTo(recall, within(1e-12));
            assertThat(m.quality().f1()).isCloseTo(2 * precision * recall / (precision + recall), within(1e-12));
            assertThat(m.errorRate()).isCloseTo(25.0 / (n + 25), within(1e-12));
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            assertThat(m.latency().avgMs()).isCloseTo(Arrays.stream(latencies).average().orElseThrow() / 1000, within(1e-9));
            for (double[] q : new double[][] {{50, m.latency().p50Ms()}, {95, m.latency().p95Ms()}, {99, m.latency().p99Ms()}}) {
                double exact = sorted[(int) Math.ceil(q[0] / 100 * n) - 1] / 1000.0;
                // HdrHistogram with 2 significant digits: within 1% of the exact value
                assertThat(q[1]).as("p%s", q[0]).isCloseTo(exact, within(exact * 0.01 + 0.001));
            }
            MetricsSnapshot exact = monitor.exactMetrics(Duration.ofHours(1), null);
            assertThat(exact.quality().accuracy()).isEqualTo(m.quality().accuracy());
            assertThat(exact.quality().precision()).isEqualTo(m.quality().precision());
            assertThat(exact.quality().recall()).isEqualTo(m.quality().recall());
            assertThat(exact.counts().withFeedback()).isEqualTo(m.counts().withFeedback());
            assertThat(exact.counts().errors()).isEqualTo(m.counts().errors());
            assertThat(exact.latency().p95Ms()).isEqualTo(m.latency().p95Ms());
            MetricsSnapshot v1 = monitor.metrics(Duration.ofHours(1), "1.0.0");
            MetricsSnapshot v2 = monitor.metrics(Duration.ofHours(1), "2.0.0");
            assertThat(v1.counts().predictions() + v2.counts().predictions()).isEqualTo(n);
            assertThat(v1.counts().errors()).isEqualTo(25);
            assertThat(monitor.exactMetrics(Duration.ofHours(1), "2.0.0").quality().accuracy()).isEqualTo(v2.quality().accuracy());
        }
    }

    @Test
    void windowsAcrossHourRollupsAgreeWithTheExactRecompute() {
        Random r = new Random(9);
        try (ModelMonitor monitor = builder().store(MonitorStore.sqlite(dir.resolve("spread.db"))).build()) {
            for (int i = 0; i < 3000; i++) {
                clock.advance(Duration.ofSeconds(36)); // 30 hours in all
                long id = monitor.prediction().output(r.nextInt(2)).latency(Duration.ofMillis(1 + r.nextInt(100)))
                        .modelVersion(r.nextBoolean() ? "a" : "b").log();
                if (r.nextDouble() < 0.5) {
                    monitor.feedback(id, r.nextInt(2));
                }
                if (i % 50 == 0) {
                    monitor.error("a", "x");
                }
            }
            for (Duration w : List.of(Duration.ofMinutes(90), Duration.ofHours(5), Duration.ofHours(24))) {
                for (String version : new String[] {null, "a"}) {
                    MetricsSnapshot m = monitor.metrics(w, version);
                    MetricsSnapshot exact = monitor.exactMetrics(w, version);
                    assertThat(m.counts().predictions()).as("%s %s", w, version).isEqualTo(exact.counts().predictions());
                    assertThat(m.counts().withFeedback()).isEqualTo(exact.counts().withFeedback());
                    assertThat(m.counts().errors()).isEqualTo(exact.counts().errors());
                    assertThat(m.quality().accuracy()).isEqualTo(exact.quality().accuracy());
                    assertThat(m.latency().p95Ms()).isEqualTo(exact.latency().p95Ms());
                }
            }
        }
        // a monitor opened on the store rebuilds the same live metrics (from the stored minute totals)
        try (ModelMonitor first = builder().store(MonitorStore.sqlite(dir.resolve("spread.db"))).build();
             ModelMonitor again = builder().store(MonitorStore.sqlite(dir.resolve("spread.db"))).build()) {
            for (Duration w : List.of(Duration.ofMinutes(90), Duration.ofHours(5), Duration.ofHours(24))) {
                for (String version : new String[] {null, "a", "b"}) {
                    MetricsSnapshot exact = first.exactMetrics(w, version);
                    MetricsSnapshot live = again.metrics(w, version);
                    assertThat(live.counts()).as("%s %s", w, version).isEqualTo(exact.counts());
                    assertThat(live.quality()).isEqualTo(exact.quality());
                    assertThat(live.latency().p50Ms()).isEqualTo(exact.latency().p50Ms());
                    assertThat(live.latency().p99Ms()).isEqualTo(exact.latency().p99Ms());
                }
            }
        }
    }

    @Test
    void multiClassMetricsAreMacroAveraged() {
        try (ModelMonitor monitor = builder().build()) {
            String[][] pairs = {{"a", "a"}, {"a", "b"}, {"b", "b"}, {"c", "c"}, {"c", "a"}, {"b", "b"}};
            for (String[] p : pairs) {
                monitor.feedback(monitor.prediction().output(p[0]).log(), p[1]);
            }
            MetricsSnapshot m = monitor.metrics(Duration.ofMinutes(5));
            // per class (predicted, actual): a: tp1 fp1 fn1 -> p .5 r .5; b: tp2 fp0 fn1 -> p 1 r 2/3; c: tp1 fp1 fn0 -> p .5 r 1
            assertThat(m.quality().accuracy()).isCloseTo(4 / 6.0, within(1e-12));
            assertThat(m.quality().precision()).isCloseTo((0.5 + 1 + 0.5) / 3, within(1e-12));
            assertThat(m.quality().recall()).isCloseTo((0.5 + 2 / 3.0 + 1) / 3, within(1e-12));
            double f1 = (0.5 + 2 * (2 / 3.0) / (1 + 2 / 3.0) + 2 * 0.5 / 1.5) / 3;
            assertThat(m.quality().f1()).isCloseTo(f1, within(1e-12));
        }
    }

    @Test
    void regressionMetrics() {
        try (ModelMonitor monitor = builder().task(Task.REGRESSION).build()) {
            monitor.feedback(monitor.prediction().output(10.0).log(), 12);
            monitor.feedback(monitor.prediction().output(5).log(), 4.0);
            MetricsSnapshot m = monitor.metrics(Duration.ofMinutes(1));
            assertThat(m.quality().mae()).isCloseTo(1.5, within(1e-12));
            assertThat(m.quality().rmse()).isCloseTo(Math.sqrt(2.5), within(1e-12));
            assertThat(m.quality().accuracy()).isNull();
        }
    }

    @Test
    void labelsCompareByValue() {
        try (ModelMonitor monitor = builder().build()) {
            monitor.feedback(monitor.prediction().output(1).log(), 1.0);
            monitor.feedback(monitor.prediction().output(1).log(), true);
            monitor.feedback(monitor.prediction().output(true).log(), "1");
            monitor.feedback(monitor.prediction().output(0).log(), false);
            monitor.feedback(monitor.prediction().output("0.0").log(), 0L);
            assertThat(monitor.metrics(Duration.ofMinutes(1)).quality().accuracy()).isEqualTo(1.0);
        }
    }

    @Test
    void aSecondFeedbackReplacesTheFirstBeforeAndAfterItIsWritten() {
        try (ModelMonitor monitor = builder().store(MonitorStore.sqlite(dir.resolve("r.db"))).build()) {
            long a = monitor.prediction().output(1).log();
            monitor.feedback(a, 0);
            monitor.feedback(a, 1); // still queued
            long b = monitor.prediction().output(1).log();
            monitor.feedback(b, 1);
            monitor.flush();
            monitor.feedback(b, 0); // replaces the stored one
            MetricsSnapshot m = monitor.metrics(Duration.ofMinutes(1));
            assertThat(m.counts().withFeedback()).isEqualTo(2);
            assertThat(m.quality().accuracy()).isEqualTo(0.5);
            assertThat(monitor.exactMetrics(Duration.ofMinutes(1), null).quality().accuracy()).isEqualTo(0.5);
        }
    }

    @Test
    void unknownIdsAreRejectedOrCounted() {
        try (ModelMonitor monitor = builder().build()) {
            assertThatThrownBy(() -> monitor.feedback(424242, 1)).isInstanceOf(UnknownPredictionException.class)
                    .hasMessageContaining("424242");
        }
        try (ModelMonitor monitor = builder().feedbackPolicy(FeedbackPolicy.COUNT).build()) {
            monitor.feedback(424242, 1);
            assertThat(monitor.metrics(Duration.ofMinutes(1)).counts().unknownFeedback()).isEqualTo(1);
        }
    }

    @Test
    void withThirtyPercentFeedbackAndEveryPredictionCorrectTheErrorRateIsZeroAndNothingAlerts() {
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        try (ModelMonitor monitor = builder().onAlert(alerts::add).build()) {
            for (int i = 0; i < 1000; i++) {
                long id = monitor.prediction().output(i % 3 == 0 ? 1 : 0).latency(Duration.ofMillis(5)).log();
                if (i % 10 < 3) {
                    monitor.feedback(id, i % 3 == 0 ? 1 : 0);
                }
            }
            monitor.checkNow();
            MetricsSnapshot m = monitor.metrics(Duration.ofHours(1));
            assertThat(m.errorRate()).isZero();
            assertThat(m.quality().accuracy()).isEqualTo(1.0);
            assertThat(monitor.activeAlerts()).isEmpty();
            assertThat(alerts).isEmpty();
        }
    }

    @Test
    void accuracyZeroOpensExactlyOneAlertWhichResolvesWhenAccuracyRecovers() {
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        try (ModelMonitor monitor = builder().onAlert(alerts::add).minSamples(50).build()) {
            for (int i = 0; i < 49; i++) {
                monitor.feedback(monitor.prediction().output(1).log(), 0);
            }
            monitor.checkNow();
            assertThat(alerts).as("49 samples are not enough").isEmpty();
            for (int i = 0; i < 51; i++) {
                monitor.feedback(monitor.prediction().output(1).log(), 0);
            }
            monitor.checkNow();
            monitor.checkNow();
            monitor.checkNow();
            // predicting 1 where the truth is 0 also makes the precision of label 1 zero (recall has no
            // positives to measure): two rules, each opened exactly once however often they are checked
            assertThat(alerts).extracting(Alert::metric).containsExactlyInAnyOrder(Metric.ACCURACY, Metric.PRECISION);
            Alert accuracy = alerts.stream().filter(a -> a.metric() == Metric.ACCURACY).findFirst().orElseThrow();
            assertThat(accuracy.message()).contains("ACCURACY is 0").contains("below the threshold 0.8");
            assertThat(monitor.activeAlerts()).hasSize(2);
            clock.advance(Duration.ofHours(2)); // the bad hour leaves the window
            for (int i = 0; i < 100; i++) {
                monitor.feedback(monitor.prediction().output(1).log(), 1);
            }
            monitor.checkNow();
            assertThat(monitor.activeAlerts()).isEmpty();
            assertThat(alerts).hasSize(2);
        }
    }

    @Test
    void raisedAlertsOpenOnceGoThroughTheListenersSurviveChecksAndResolveByHand() {
        List<Alert> alerts = new ArrayList<>();
        AlertRule canary = AlertRule.when(Metric.ERROR_RATE).above(0.01).named("canary churn 1.1.0")
                .severity(AlertSeverity.CRITICAL).forVersion("1.1.0");
        try (ModelMonitor monitor = builder().store(MonitorStore.sqlite(dir.resolve("m.db"))).onAlert(alerts::add).build()) {
            Alert a = monitor.raise(canary, 0.052, "canary aborted: error rate 0.052 vs 0.010");
            assertThat(monitor.raise(canary, 0.06, "again")).isEqualTo(a);
            monitor.checkNow(); // not one of the monitor's rules: it stays open
            assertThat(monitor.activeAlerts()).containsExactly(a);
            assertThat(alerts).containsExactly(a);
            assertThat(a.rule()).isEqualTo("canary churn 1.1.0");
            assertThat(a.metric()).isEqualTo(Metric.ERROR_RATE);
            assertThat(a.value()).isEqualTo(0.052);
            assertThat(a.threshold()).isEqualTo(0.01);
            assertThat(a.modelVersion()).isEqualTo("1.1.0");
            assertThat(a.message()).isEqualTo("canary aborted: error rate 0.052 vs 0.010");
        }
        try (ModelMonitor reopened = builder().store(MonitorStore.sqlite(dir.resolve("m.db"))).build()) {
            Alert open = reopened.activeAlerts().get(0);
            assertThat(reopened.raise(canary, 0.07, "third")).isEqualTo(open);
            assertThat(reopened.resolve(open.id())).isTrue();
            Alert next = reopened.raise(canary, 0.07, "a later canary of the same version failed too");
            assertThat(next.id()).isNotEqualTo(open.id());
        }
        assertThat(alerts).hasSize(1);
        // the alert feed (a webhook's outbox): every alert the store committed, resolved or not, by id
        try (ModelMonitor reader = builder().store(MonitorStore.sqlite(dir.resolve("m.db"))).build()) {
            io.mlops.core.EventFeed feed = reader.alertFeed();
            List<io.mlops.core.EventFeed.Event> events = feed.after(0, 10);
            assertThat(feed.name()).isEqualTo("alerts");
            assertThat(events).hasSize(2);
            assertThat(events).extracting(io.mlops.core.EventFeed.Event::type).containsOnly("ALERT_OPENED");
            assertThat(events.get(0).position()).isLessThan(events.get(1).position());
            assertThat(events.get(0).fields()).containsEntry("rule", "canary churn 1.1.0").containsEntry("severity", "CRITICAL")
                    .containsEntry("metric", "ERROR_RATE").containsEntry("value", 0.052).containsEntry("model_version", "1.1.0")
                    .containsEntry("message", "canary aborted: error rate 0.052 vs 0.010");
            assertThat(events.get(0).fields().get("resolved_at")).isNotNull();
            assertThat(events.get(1).fields().get("resolved_at")).isNull();
            assertThat(feed.after(events.get(0).position(), 10)).containsExactly(events.get(1));
            assertThat(feed.after(events.get(1).position(), 10)).isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // a name given with named() survives later changes; a derived one follows them
        assertThat(AlertRule.when(Metric.ERROR_RATE).above(0.01).forVersion("1.1.0").name())
                .isEqualTo("error_rate above 0.01 for 1.1.0");
        assertThat(AlertRule.when(Metric.ERROR_RATE).named("mine").above(0.02).forVersion("2.0.0").name()).isEqualTo("mine");
    }

    @Test
    void theTimelineHasOneSnapshotPerStepOldestFirst() {
        try (ModelMonitor monitor = builder().defaultRules(false).build()) {
            // logged at 12:00:30, 13:00:30 and 14:00:30; at 15:00:30 the hour steps end at 15:01: 11:01-12:01 ... 14:01-15:01
            for (int hour = 0; hour < 3; hour++) {
                for (int i = 0; i < 10 * (hour + 1); i++) {
                    monitor.prediction().output(1).latency(Duration.ofMillis(10 * (hour + 1))).modelVersion("1.0.0").log();
                }
                monitor.error("1.0.0", "boom");
                monitor.prediction().output(1).modelVersion("2.0.0").log();
                clock.advance(Duration.ofHours(1));
            }
            List<MetricsSnapshot> all = monitor.timeline(Duration.ofHours(4), Duration.ofHours(1), null);
            assertThat(all).extracting(m -> m.counts().requests()).containsExactly(12L, 22L, 32L, 0L);
            List<MetricsSnapshot> v1 = monitor.timeline(Duration.ofHours(4), Duration.ofHours(1), "1.0.0");
            assertThat(v1).extracting(m -> m.counts().errors()).containsExactly(1L, 1L, 1L, 0L);
            assertThat(v1.get(2).errorRate()).isCloseTo(1 / 31.0, within(1e-12));
            assertThat(v1.get(1).latency().p50Ms()).isCloseTo(20.0, within(0.2));
            assertThat(v1.get(3).errorRate()).isNull();
            assertThat(v1.get(1).to()).isEqualTo(v1.get(2).from());
            assertThatThrownBy(() -> monitor.timeline(Duration.ofMinutes(90), Duration.ofHours(1), null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> monitor.timeline(Duration.ofHours(1), Duration.ofSeconds(30), null))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void customRulesWithDurationsAndVersions() {
        List<Alert> alerts = new ArrayList<>();
        AlertRule slow = AlertRule.when(Metric.P95_LATENCY).above(Duration.ofMillis(200)).over(Duration.ofMinutes(5))
                .severity(AlertSeverity.HIGH).minSamples(10).forVersion("2.0.0");
        try (ModelMonitor monitor = builder().defaultRules(false).rule(slow).onAlert(alerts::add).build()) {
            for (int i = 0; i < 20; i++) {
                monitor.prediction().output(1).latency(Duration.ofMillis(500)).modelVersion("2.0.0").log();
                monitor.prediction().output(1).latency(Duration.ofMillis(5)).modelVersion("1.0.0").log();
            }
            monitor.checkNow();
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).severity()).isEqualTo(AlertSeverity.HIGH);
            assertThat(alerts.get(0).modelVersion()).isEqualTo("2.0.0");
            assertThat(monitor.resolve(alerts.get(0).id())).isTrue();
            assertThat(monitor.activeAlerts()).isEmpty();
        }
        assertThatThrownBy(() -> AlertRule.when(Metric.ACCURACY).above(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eightThreadsLoggingAndFeedingBackGiveExactCounts() throws Exception {
        try (ModelMonitor monitor = builder().store(MonitorStore.sqlite(dir.resolve("c.db"))).queueCapacity(1000).build()) {
            int threads = 8;
            int each = 2000;
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Set<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    Set<Long> ids = new HashSet<>();
                    for (int i = 0; i < each; i++) {
                        long id = monitor.prediction().output(i % 2).latency(Duration.ofMillis(1)).log();
                        ids.add(id);
                        if (i % 4 == 0) {
                            monitor.feedback(id, i % 2);
                        }
                        if (i % 100 == 0) {
                            monitor.error(null, "x");
                        }
                    }
                    return ids;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<Set<Long>> f : futures) {
                all.addAll(f.get(2, TimeUnit.MINUTES));
            }
            pool.shutdown();
            assertThat(all).hasSize(threads * each);
            MetricsSnapshot m = monitor.metrics(Duration.ofMinutes(1));
            assertThat(m.counts().predictions()).isEqualTo(threads * each);
            assertThat(m.counts().withFeedback()).isEqualTo(threads * each / 4);
            assertThat(m.counts().errors()).isEqualTo(threads * each / 100);
            assertThat(m.quality().accuracy()).isEqualTo(1.0);
            MetricsSnapshot exact = monitor.exactMetrics(Duration.ofMinutes(1), null);
            assertThat(exact.counts().predictions()).isEqualTo(threads * each);
            assertThat(exact.counts().withFeedback()).isEqualTo(threads * each / 4);
            assertThat(exact.counts().errors()).isEqualTo(threads * each / 100);
        }
    }

    @Test
    void closeStopsEveryMonitorThread() {
        ModelMonitor monitor = builder().store(MonitorStore.sqlite(dir.resolve("t.db"))).build();
        monitor.prediction().output(1).log();
        assertThat(monitorThreads()).isNotEmpty();
        monitor.close();
        assertThat(monitorThreads()).isEmpty();
        assertThatThrownBy(() -> monitor.prediction().output(1).log()).isInstanceOf(IllegalStateException.class);
    }

    static List<String> monitorThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("mlops-monitor") && t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void aReopenedMonitorReloadsItsAggregatesAndIdsStayUnique() {
        Path db = dir.resolve("reopen.db");
        long first;
        MetricsSnapshot before;
        try (ModelMonitor monitor = builder().store(MonitorStore.sqlite(db)).build()) {
            first = monitor.prediction().output(1).latency(Duration.ofMillis(3)).log();
            monitor.feedback(first, 1);
            monitor.feedback(monitor.prediction().output(0).log(), 1);
            monitor.error("1.0.0", "boom");
            before = monitor.metrics(Duration.ofHours(1));
        }
        try (ModelMonitor monitor = builder().store(MonitorStore.sqlite(db)).build()) {
            MetricsSnapshot after = monitor.metrics(Duration.ofHours(1));
            assertThat(after.counts().predictions()).isEqualTo(before.counts().predictions());
            assertThat(after.quality().accuracy()).isEqualTo(before.quality().accuracy());
            assertThat(after.counts().errors()).isEqualTo(1);
            assertThat(monitor.prediction().output(1).log()).isGreaterThan(first + 1);
            monitor.feedback(first, 0); // feedback for a prediction of the previous run
            assertThat(monitor.metrics(Duration.ofHours(1)).quality().accuracy()).isZero();
        }
    }

    @Test
    void dropPolicyCountsWhatDoesNotFit() {
        // a store that blocks its writer keeps the queue full
        try (ModelMonitor monitor = builder().queueCapacity(1).queuePolicy(QueuePolicy.DROP).build()) {
            int logged = 0;
            for (int i = 0; i < 10_000; i++) {
                if (monitor.prediction().output(1).log() >= 0) {
                    logged++;
                }
            }
            MetricsSnapshot m = monitor.metrics(Duration.ofMinutes(1));
            assertThat(m.counts().predictions()).isEqualTo(logged);
            assertThat(m.counts().dropped()).isEqualTo(10_000 - logged);
        }
    }

    @Test
    void dashboardAndPurge() {
        try (ModelMonitor monitor = builder().build()) {
            monitor.prediction().output(1).log();
            clock.advance(Duration.ofHours(3));
            monitor.prediction().output(1).log();
            monitor.prediction().output(1).log();
            Dashboard d = monitor.dashboard();
            assertThat(d.requestsPerHour()).hasSize(24);
            assertThat(d.requestsPerHour().stream().mapToLong(Dashboard.HourlyCount::requests).sum()).isEqualTo(3);
            assertThat(d.requestsPerHour().get(23).requests()).isEqualTo(2);
            assertThat(d.last24Hours().counts().predictions()).isEqualTo(3);
            assertThat(d.toJson()).contains("\"requests_per_hour\"").contains("\"last24_hours\"").contains("\"p95_ms\"");
            assertThat(monitor.purgeOlderThan(Duration.ofHours(1))).isEqualTo(1);
            assertThat(monitor.metrics(Duration.ofHours(24)).counts().predictions()).isEqualTo(2);
        }
    }

    @Test
    void theDashboardShowsEachVersionSideBySide() {
        try (ModelMonitor monitor = builder().build()) {
            for (int i = 0; i < 9; i++) {
                monitor.feedback(monitor.prediction().output(1).latency(Duration.ofMillis(5)).modelVersion("1.0.0").log(), 1);
            }
            for (int i = 0; i < 3; i++) {
                monitor.feedback(monitor.prediction().output(1).latency(Duration.ofMillis(50)).modelVersion("1.1.0").log(), i == 0 ? 1 : 0);
            }
            monitor.error("1.1.0", "timeout");
            monitor.prediction().output(0).log(); // no version: counted in the total only
            Dashboard d = monitor.dashboard();
            assertThat(d.byVersion().keySet()).containsExactly("1.0.0", "1.1.0");
            assertThat(d.byVersion().get("1.0.0").counts().predictions()).isEqualTo(9);
            assertThat(d.byVersion().get("1.0.0").quality().accuracy()).isEqualTo(1.0);
            assertThat(d.byVersion().get("1.1.0").counts().errors()).isEqualTo(1);
            assertThat(d.byVersion().get("1.1.0").quality().accuracy()).isCloseTo(1.0 / 3, within(1e-12));
            assertThat(d.last24Hours().counts().predictions()).isEqualTo(13);
            assertThat(d.toJson()).contains("\"by_version\"").contains("\"1.1.0\"");
        }
    }

    @Test
    void throughputIsMeasuredOverTheActiveSpanNotTheWholeWindow() {
        try (ModelMonitor monitor = builder().build()) {
            for (int i = 0; i < 60; i++) {
                monitor.prediction().output(1).log();
            }
            clock.advance(Duration.ofMinutes(2));
            for (int i = 0; i < 60; i++) {
                monitor.prediction().output(1).log();
            }
            // 120 requests from the first busy minute to the end of the last: 3 minutes
            assertThat(monitor.metrics(Duration.ofHours(24)).throughputPerSecond()).isCloseTo(120 / 180.0, within(1e-12));
            assertThat(monitor.exactMetrics(Duration.ofHours(24), null).throughputPerSecond())
                    .isCloseTo(120 / 180.0, within(1e-12));
            assertThat(monitor.dashboard().last24Hours().throughputPerSecond()).isCloseTo(120 / 180.0, within(1e-12));
        }
    }
}
