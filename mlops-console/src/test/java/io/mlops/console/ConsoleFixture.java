package io.mlops.console;

import io.mlops.core.Dataset;
import io.mlops.core.ManualClock;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.AlertRule;
import io.mlops.monitor.Metric;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

/**
 * What the console tests show: a registry with two models (tags, metadata and an alias reason
 * carrying markup), datasets with a lineage of four versions (a description with markup), and a
 * monitor with six hours of traffic for two versions, feedback, and an open alert.
 */
final class ConsoleFixture implements AutoCloseable {

    static final String HOSTILE = "<script>alert('x')</script>";

    final ModelRegistry registry;
    final DataVersioning data;
    final ModelMonitor monitor;
    final ReferenceProfile reference;
    final DatasetVersion raw;
    final DatasetVersion cleaned;
    final DatasetVersion features;
    final DatasetVersion labels;

    ConsoleFixture(Path dir) {
        ManualClock clock = new ManualClock(Instant.now().minus(Duration.ofMinutes(6 * 59)));
        registry = ModelRegistry.builder().fileSystem(dir.resolve("registry")).actor("ci").build();
        for (String v : new String[] {"1.0.0", "1.1.0", "2.0.0"}) {
            registry.register("churn").version(v).artifact(("model " + v).getBytes()).metadata("auc", 0.9)
                    .metadata("notes", HOSTILE).tag("framework", HOSTILE).tag("algorithm", "forest").save();
        }
        registry.register("fraud").version("0.1.0").artifact(new byte[] {1}).save();
        registry.setAlias("churn", "production", "1.0.0");
        registry.setAlias("churn", "production", "1.1.0", "better recall " + HOSTILE);
        registry.setAlias("churn", "staging", "2.0.0");

        data = DataVersioning.fileSystem(dir.resolve("data"));
        Random r = new Random(1);
        raw = data.commit("customers", dataset(r, 200, 0)).description("raw export " + HOSTILE).tag("source", "crm").save();
        cleaned = data.commit("customers", dataset(r, 180, 0)).description("cleaned").parents(raw.id()).save();
        labels = data.commit("labels", dataset(r, 180, 1)).description("labels").save();
        features = data.commit("customers", dataset(r, 180, 2)).description("features").parents(cleaned.id(), labels.id()).save();

        Dataset train = dataset(new Random(2), 2_000, 0);
        reference = DriftDetector.builder(train).build().profile();
        monitor = ModelMonitor.builder().clock(clock).defaultRules(false).checkInterval(Duration.ofHours(1))
                .rule(AlertRule.when(Metric.ERROR_RATE).above(0.05).over(Duration.ofHours(1)).minSamples(20)).build();
        for (int hour = 0; hour < 6; hour++) {
            for (int i = 0; i < 200; i++) {
                String version = i % 4 == 0 ? "2.0.0" : "1.1.0";
                long id = monitor.prediction().input(Map.of("tenure", r.nextGaussian() * 10 + 20, "plan", r.nextBoolean() ? "a" : "b"))
                        .output(i % 2).latency(Duration.ofMillis(2 + r.nextInt(8) + (version.equals("2.0.0") ? 5 : 0)))
                        .modelVersion(version).log();
                if (i % 3 == 0) {
                    monitor.feedback(id, r.nextDouble() < 0.85 ? i % 2 : 1 - i % 2);
                }
            }
            if (hour >= 4) {
                for (int i = 0; i < 20; i++) {
                    monitor.error("2.0.0", "timeout");
                }
                monitor.checkNow(); // the last hours' error rate opens the alert
            }
            clock.advance(Duration.ofMinutes(59));
        }
    }

    static Dataset dataset(Random r, int rows, int shift) {
        double[] tenure = new double[rows];
        String[] plan = new String[rows];
        for (int i = 0; i < rows; i++) {
            tenure[i] = r.nextGaussian() * 10 + 20 + shift;
            plan[i] = r.nextBoolean() ? "a" : "b";
        }
        return Dataset.builder().numeric("tenure", tenure).categorical("plan", plan).build();
    }

    @Override
    public void close() {
        monitor.close();
    }
}
