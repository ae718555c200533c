package io.mlops.cli.internal;

import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelCard;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the stores under the root add to a model card: the training dataset named by the version's
 * metadata {@code training_dataset} (a dataset version id) with its lineage, and the monitor's
 * metrics of the version since an alias first pointed at it (at most the monitor's 7-day horizon).
 */
final class CardFacts {

    private CardFacts() {
    }

    static ModelCard complete(ModelCard card, ModelRegistry registry, DataVersioning data, MonitorStore monitor) {
        ModelVersion v = card.version();
        Object dataset = v.metadata().get("training_dataset");
        if (dataset != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("dataset version", String.valueOf(dataset));
            DatasetVersion d = data == null ? null : data.find(String.valueOf(dataset)).orElse(null);
            if (d == null) {
                f.put("found", data == null ? "no data store under the root" : "not in the data store");
            } else {
                f.put("name", d.name());
                f.put("created", d.createdAt().toString());
                f.put("rows", d.rowCount().isPresent() ? d.rowCount().getAsLong() : "-");
                f.put("sha256", d.sha256());
                List<String> lineage = new ArrayList<>();
                for (DatasetVersion a : data.lineage(d.id())) {
                    lineage.add(a.name() + " " + a.id() + (a.description() == null || a.description().isBlank() ? "" : " (" + a.description() + ")"));
                }
                f.put("lineage", lineage);
            }
            card = card.withSection("Training dataset", f);
        }
        if (monitor != null) {
            Instant deployed = null;
            for (String alias : registry.aliases(v.name()).keySet()) {
                for (AliasChange c : registry.aliasHistory(v.name(), alias)) {
                    if (v.version().equals(c.to()) && (deployed == null || c.at().isBefore(deployed))) {
                        deployed = c.at();
                    }
                }
            }
            Map<String, Object> f = new LinkedHashMap<>();
            if (deployed == null) {
                f.put("deployed", "no alias has pointed at it");
            } else {
                Duration since = Duration.between(deployed, Instant.now());
                Duration window = since.compareTo(Duration.ofDays(7)) > 0 ? Duration.ofDays(7) : since.plusMinutes(1);
                try (ModelMonitor m = ModelMonitor.builder().store(monitor).defaultRules(false).build()) {
                    MetricsSnapshot s = m.exactMetrics(window, v.version());
                    f.put("first deployed", deployed.toString());
                    f.put("window", window.toString());
                    f.put("requests", s.counts().requests());
                    f.put("error rate", s.errorRate());
                    f.put("p95 latency (ms)", s.latency().p95Ms());
                    f.put("accuracy (labelled)", s.quality().accuracy());
                    f.put("predictions with labels", s.counts().withFeedback());
                    f.put("estimated accuracy (no labels)", s.estimated().accuracy());
                    f.put("active alerts", m.activeAlerts().stream().filter(a -> a.modelVersion() == null
                            || a.modelVersion().equals(v.version())).map(a -> a.rule() + ": " + a.message()).toList());
                }
            }
            card = card.withSection("Since deployment", f);
        }
        return card;
    }
}
