package io.mlops.micrometer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mlops.core.Dataset;
import io.mlops.core.ManualClock;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.ModelMonitor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The monitor's gauges show each model version's counts, error rate, latency and accuracy over the
 * window from the aggregates; versions that leave the window leave the meters; the drift gauges
 * flag a shifted feature; the refresher keeps running after a failed refresh.
 */
class MonitorMetersTest {

    static ReferenceProfile profile(long seed) {
        Random r = new Random(seed);
        double[] x = new double[5_000];
        double[] y = new double[5_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
            y[i] = r.nextGaussian();
        }
        return DriftDetector.builder(Dataset.builder().numeric("x", x).numeric("y", y).build()).build().profile();
    }

    @Test
    void perVersionGaugesFromTheAggregates() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-07T08:00:00Z"));
        // an estimator that calibrates a score s to s: each prediction is right with its logged confidence
        io.mlops.monitor.PerformanceEstimator identity = io.mlops.monitor.PerformanceEstimator.cbpe(
                new double[] {0.0, 1.0}, new int[] {0, 1});
        try (ModelMonitor monitor = ModelMonitor.builder().clock(clock).defaultRules(false).performanceEstimator(identity).build()) {
            for (int i = 0; i < 40; i++) {
                long id = monitor.prediction().output(i % 2).probability(0.75).latency(Duration.ofMillis(10)).modelVersion("1.0.0").log();
                monitor.feedback(id, i % 4 < 2 ? i % 2 : 1 - i % 2); // half right
            }
            for (int i = 0; i < 10; i++) {
                monitor.prediction().output(1).latency(Duration.ofMillis(30)).modelVersion("2.0.0").log();
            }
            monitor.error("2.0.0", "timeout");
            monitor.flush();

            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            MonitorMeters binding = MonitorMeters.builder(monitor).window(Duration.ofHours(1)).build();
            binding.bindTo(meters);

            assertThat(gauge(meters, "mlops.monitor.requests", "1.0.0")).isEqualTo(40);
            assertThat(gauge(meters, "mlops.monitor.requests", "2.0.0")).isEqualTo(11);
            assertThat(gauge(meters, "mlops.monitor.errors", "2.0.0")).isEqualTo(1);
            assertThat(gauge(meters, "mlops.monitor.error.rate", "2.0.0")).isCloseTo(1 / 11.0, within(1e-9));
            assertThat(gauge(meters, "mlops.monitor.accuracy", "1.0.0")).isCloseTo(0.5, within(1e-9));
            assertThat(meters.find("mlops.monitor.accuracy").tag("version", "2.0.0").gauge()).as("no feedback: no accuracy").isNull();
            assertThat(gauge(meters, "mlops.monitor.estimated.accuracy", "1.0.0")).as("beside the realised").isCloseTo(0.75, within(1e-9));
            assertThat(meters.find("mlops.monitor.estimated.accuracy").tag("version", "2.0.0").gauge())
                    .as("no probabilities: no estimate").isNull();
            assertThat(meters.get("mlops.monitor.latency").tags("version", "2.0.0", "statistic", "p50").gauge().value())
                    .isCloseTo(0.030, within(0.002));
            assertThat(meters.get("mlops.monitor.queue.depth").gauge().value()).isZero();
            assertThat(meters.get("mlops.monitor.records.rejected").functionCounter().count()).isZero();
            String scrape = meters.scrape();
            assertThat(scrape).contains("mlops_monitor_requests{version=\"1.0.0\",window=\"1h\"} 40.0")
                    .contains("mlops_monitor_latency_seconds{statistic=\"p99\",version=\"2.0.0\",window=\"1h\"}");
            io.mlops.core.testkit.Promtool.check(scrape);

            clock.advance(Duration.ofMinutes(90));
            for (int i = 0; i < 5; i++) {
                monitor.prediction().output(1).modelVersion("3.0.0").log();
            }
            binding.refresh();
            assertThat(meters.find("mlops.monitor.requests").gauges()).as("only the window's versions")
                    .extracting(g -> g.getId().getTag("version")).containsExactly("3.0.0");

            binding.close();
            assertThat(meters.find("mlops.monitor.requests").gauges()).isEmpty();
            assertThat(meters.find("mlops.monitor.queue.depth").gauges()).isEmpty();
        }
    }

    private static double gauge(io.micrometer.core.instrument.MeterRegistry meters, String name, String version) {
        return meters.get(name).tag("version", version).gauge().value();
    }

    @Test
    void driftGaugesFlagTheShiftedFeature() {
        ReferenceProfile profile = profile(1);
        ManualClock clock = new ManualClock(Instant.parse("2026-12-07T08:00:00Z"));
        Random r = new Random(2);
        try (ModelMonitor monitor = ModelMonitor.builder().clock(clock).defaultRules(false).build()) {
            for (int i = 0; i < 3_000; i++) {
                monitor.prediction().input(Map.of("x", r.nextGaussian() + 1.0, "y", r.nextGaussian())).output(1).log();
            }
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (MonitorMeters binding = MonitorMeters.builder(monitor).drift(profile).build()) {
                binding.bindTo(meters);
                assertThat(meters.get("mlops.monitor.drift.detected").tag("feature", "x").gauge().value()).isEqualTo(1);
                assertThat(meters.get("mlops.monitor.drift.detected").tag("feature", "y").gauge().value()).isEqualTo(0);
                assertThat(meters.get("mlops.monitor.drift.psi").tag("feature", "x").gauge().value()).isGreaterThan(0.2);
                assertThat(meters.get("mlops.monitor.drift.share").gauge().value()).isCloseTo(0.5, within(1e-9));
            }
        }
    }

    @Test
    void theRefresherPicksUpNewVersionsAndOutlivesAFailedRefresh() throws Exception {
        ReferenceProfile profile = profile(3);
        try (ModelMonitor monitor = ModelMonitor.builder().defaultRules(false).build()) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            // no inputs logged: every drift report fails ("no prediction with input features")
            try (MonitorMeters binding = MonitorMeters.builder(monitor).drift(profile).refreshInterval(Duration.ofMillis(100))
                    .build()) {
                binding.bindTo(meters);
                monitor.prediction().output(1).modelVersion("7.0.0").log();
                io.mlops.core.testkit.Eventually.await("the refresher shows the new version", Duration.ofSeconds(60),
                        () -> meters.find("mlops.monitor.requests").tag("version", "7.0.0").gauge() != null);
                monitor.prediction().input(Map.of("x", 0.1, "y", 0.2)).output(1).modelVersion("7.0.0").log();
                io.mlops.core.testkit.Eventually.await("the refresher alive after failed refreshes", Duration.ofSeconds(60),
                        () -> meters.find("mlops.monitor.drift.share").gauge() != null);
            }
        }
    }

    @Test
    void badSettingsAreRefused() {
        try (ModelMonitor monitor = ModelMonitor.builder().defaultRules(false).build()) {
            assertThatThrownBy(() -> MonitorMeters.builder(monitor).window(Duration.ofSeconds(5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least a minute");
            assertThatThrownBy(() -> MonitorMeters.builder(monitor).refreshInterval(Duration.ofMillis(5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 100 ms");
        }
    }
}
