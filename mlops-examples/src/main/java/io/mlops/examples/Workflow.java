package io.mlops.examples;

import io.mlops.core.Dataset;
import io.mlops.core.ManualClock;
import io.mlops.core.MlopsConfig;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetDiff;
import io.mlops.data.DatasetVersion;
import io.mlops.core.StorageException;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.monitor.Alert;
import io.mlops.monitor.AlertRule;
import io.mlops.monitor.Dashboard;
import io.mlops.monitor.Metric;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.AlertSeverity;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import io.mlops.registry.ModelVersion;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Arrays;

/**
 * The end-to-end workflow: configuration, data, data versions, a model in the registry, drift,
 * monitoring, serving with a canary.
 *
 * <p>Run it with the README's run command, or {@code Workflow [config.json] [--out DIR]}: it loads
 * the configuration (the defaults, merged with the file when one is given, then with
 * {@code MLOPS_*} environment variables), prints it, generates the seeded synthetic customer
 * dataset, writes it as CSV, reads it back and prints its content hash, which is the same for the
 * written and the re-read data. It commits the data as a version, derives a second version (a
 * feature added, one removed) with the first as parent, and prints their diff and lineage. It then trains a Tribuo random forest on it, registers the model as
 * {@code customer_churn_predictor} 1.0.0 with its accuracy and feature names, points the
 * {@code production} alias at it, loads it back by alias and predicts a few customers. Finally it
 * checks a batch from a shifted population for drift and writes {@code drift-report.html} and
 * {@code drift-report.json}, and monitors a stream of requests with delayed feedback, in which an
 * accuracy alert opens when the data breaks and resolves when it recovers. Last it serves the
 * production alias from the registry over HTTP, sends single and batch requests, registers a
 * retrained version as {@code staging}, gives it 30% of the traffic as a canary, compares the two
 * versions on the monitor and promotes the canary (or rolls back).
 */
public final class Workflow {

    private static final Logger LOG = LoggerFactory.getLogger(Workflow.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tribuo logs every tree it builds through java.util.logging; kept here so the level sticks. */
    private static final java.util.logging.Logger TRIBUO = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO.setLevel(java.util.logging.Level.WARNING);
    }

    private Workflow() {
    }

    /**
     * Runs the workflow.
     *
     * @param args an optional configuration file, and {@code --out DIR} for the output folder
     *     (default {@code target/mlops-workflow})
     */
    public static void main(String[] args) {
        Path configFile = null;
        Path out = Path.of("target", "mlops-workflow");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println(USAGE);
                return;
            } else if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else if (args[i].startsWith("-")) {
                System.err.println("unknown option " + args[i] + "\n" + USAGE);
                System.exit(2);
            } else {
                configFile = Path.of(args[i]);
            }
        }
        run(configFile, out);
        System.out.println(outputs(out));
    }

    static final String USAGE = """
            usage: Workflow [CONFIG.json] [--out DIR]
              Runs the chapter end to end: configuration, data versions, a random forest registered and
              aliased, drift, monitoring with an alert, serving with a canary.
              CONFIG.json  merged deeply into the defaults (optional); MLOPS_A__B variables override both
              --out DIR    where everything is written (default target/mlops-workflow)
              -h, --help   this text""";

    /** Where the run's results are, for the last lines of its output. */
    static String outputs(Path out) {
        return String.join("\n",
                "Outputs in " + out.toAbsolutePath() + ":",
                "  config.json                  the configuration in force",
                "  data/, data-versions/        the customer CSV and its versions with lineage",
                "  registry/                    the registered models, aliases and audit log",
                "  drift-report.html, .json     the drift report (open the HTML in a browser)",
                "  monitor.db, dashboard.json   the monitoring database (sqlite3 monitor.db) and the dashboard",
                "  serving-monitor.db           what the served requests logged");
    }

    /** A few lines of a dashboard; the whole of it is in dashboard.json. */
    static String summary(Dashboard d) {
        MetricsSnapshot m = d.last24Hours();
        return String.format(java.util.Locale.ROOT, "dashboard: %d predictions in 24 h, accuracy %s, p95 latency %s ms,"
                        + " error rate %s, %d active alert(s)", m.counts().predictions(), fmt(m.quality().accuracy()),
                fmt(m.latency().p95Ms()), fmt(m.errorRate()), d.activeAlerts().size());
    }

    /**
     * Runs the workflow.
     *
     * @param configFile a configuration file to merge into the defaults, or {@code null}
     * @param out the folder for everything the workflow writes
     * @return what the workflow produced
     */
    public static Result run(Path configFile, Path out) {
        // 1. Configuration: defaults, deep-merged with the file, then the environment.
        MlopsConfig config = (configFile == null ? MlopsConfig.defaults() : MlopsConfig.load(configFile))
                .withEnvironment(System.getenv());
        LOG.info("Configuration ({}):\n{}", configFile == null ? "defaults" : configFile, config.toJson());
        config.save(out.resolve("config.json"));

        // 2. Data: a seeded synthetic customer dataset, written as CSV and identified by content.
        int seed = config.getInt("model.hyperparameters.random_state");
        Dataset customers = CustomerData.generate(1_000, seed);
        Path csv = out.resolve(config.getString("data.train_path"));
        customers.writeCsv(csv);
        Dataset reread = Dataset.readCsv(csv);
        LOG.info("Customer data: {}", customers);
        LOG.info("Churn rate: {}", String.format("%.3f", Arrays.stream(customers.numeric("churn")).average().orElse(0)));
        LOG.info("Wrote {} ({} rows)", csv, reread.rowCount());
        LOG.info("Content hash: {} (re-read from CSV: {})", customers.contentHash(), reread.contentHash());
        if (!reread.contentHash().equals(customers.contentHash())) {
            throw new IllegalStateException("CSV round trip changed the data");
        }
        System.out.println("dataset " + customers.contentHash());

        // 3. Data versions: commit the data, derive a second version (a feature added, one dropped),
        //    commit it with the first as parent, then compare them and walk the lineage.
        DataVersioning versions = DataVersioning.fileSystem(out.resolve("data-versions"));
        DatasetVersion v1 = versions.commit("customer_data", customers).description("Original customer dataset").save();
        double[] charges = customers.numeric("monthly_charges");
        double[] tenure = customers.numeric("tenure_months");
        double[] chargesPerMonthOfTenure = new double[charges.length];
        for (int i = 0; i < charges.length; i++) {
            chargesPerMonthOfTenure[i] = charges[i] / (1 + tenure[i]);
        }
        Dataset derived = customers.toBuilder()
                .numeric("charge_per_tenure", chargesPerMonthOfTenure)
                .remove("total_charges")
                .build();
        DatasetVersion v2 = versions.commit("customer_data", derived)
                .description("Added charge_per_tenure, removed total_charges").parents(v1.id()).save();
        DatasetDiff diff = versions.compare(v1.id(), v2.id());
        LOG.info("Data versions: {} -> {}", v1.id(), v2.id());
        LOG.info("Diff: {}", diff.summary());
        for (DatasetVersion v : versions.lineage(v2.id())) {
            LOG.info("Lineage: {} - {} ({})", v.id(), v.description(), v.createdAt());
        }
        System.out.println("data " + v2.id() + " parent " + v1.id());

        // 4. Model: train a random forest, register it with its accuracy and features, point
        //    production at it, load it back by alias and predict.
        String target = "churn";
        System.out.println("training a random forest of " + config.getInt("model.hyperparameters.n_estimators")
                + " trees (max depth " + config.getInt("model.hyperparameters.max_depth") + ") on " + customers.rowCount()
                + " rows ...");
        long trainStart = System.nanoTime();
        ChurnModel.Trained trained = ChurnModel.train(customers, target,
                config.getDouble("data.validation_split"),
                config.getInt("model.hyperparameters.n_estimators"),
                config.getInt("model.hyperparameters.max_depth"), seed);
        System.out.printf(java.util.Locale.ROOT, "trained in %.1f s%n", (System.nanoTime() - trainStart) / 1e9);
        LOG.info("Trained a random forest of {} trees: validation accuracy {}",
                config.getInt("model.hyperparameters.n_estimators"), String.format("%.3f", trained.accuracy()));
        ModelRegistry registry = ModelRegistry.builder().fileSystem(out.resolve("registry")).actor("workflow").build();
        String modelName = "customer_churn_predictor";
        ModelVersion registered = registry.register(modelName)
                .version("1.0.0")
                .artifact(trained.model(), ChurnModel.CODEC)
                .metadata("accuracy", trained.accuracy())
                .metadata("feature_names", trained.features())
                .metadata("dataset", customers.contentHash())
                .tag("algorithm", "RandomForest")
                .overwrite(true) // re-running the example replaces its own version
                .save();
        registry.setAlias(modelName, "production", registered.version());
        LOG.info("Registered {} ({} bytes, sha256 {}), alias production -> {}", registered.coordinates(),
                registered.sizeBytes(), registered.sha256(), registered.version());

        ModelVersion production = registry.byAlias(modelName, "production").orElseThrow();
        @SuppressWarnings("unchecked")
        Model<Label> loaded = registry.load(production, ChurnModel.CODEC);
        double[] churnProbabilities = new double[5];
        for (int row = 0; row < churnProbabilities.length; row++) {
            churnProbabilities[row] = ChurnModel.churnProbability(loaded, customers, row, trained.features());
            LOG.info("Customer {}: churn probability {} (actual churn {})", row,
                    String.format("%.2f", churnProbabilities[row]), (int) customers.numeric(target)[row]);
        }
        // 5. Drift: profile the training data once, check a batch from a shifted population, and
        //    write the reports. The label is the target: reported apart, never counted as a drifted feature.
        DriftDetector detector = DriftDetector.builder(customers).target(target).significance(0.05).build();
        Dataset batch = CustomerData.generate(1_000, seed + 1, 0.6);
        DriftReport drift = detector.detect(batch);
        LOG.info("Drift: {}", drift.summary());
        Path html = out.resolve("drift-report.html");
        Path json = out.resolve("drift-report.json");
        try {
            java.nio.file.Files.write(html, drift.toHtml().getBytes(StandardCharsets.UTF_8));
            java.nio.file.Files.write(json, drift.toJson().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new StorageException("Cannot write the drift reports to " + out + ": " + e.getMessage(), e);
        }
        LOG.info("Wrote {} and {}", html, json);
        System.out.println("drift " + drift.driftDetected() + " " + drift.driftedFeatures()
                + drift.targetDrift().map(t -> " (target " + t.feature() + ": " + (t.driftDetected() ? "drifted" : "stable") + ")")
                        .orElse(""));

        // 6. Monitoring: serve a stream of requests with the production model, feed the truth back
        //    later, break the data so that accuracy falls (an alert opens), let the bad hour pass
        //    (it resolves), and print the dashboard. A simulated clock replays the hours in seconds.
        MonitorRun monitoring = monitor(loaded, trained.features(), out, seed, production.version());
        System.out.println("alerts opened " + monitoring.opened().size() + ", active at the end " + monitoring.activeAtEnd());

        // 7. Serving: serve production from the registry, send single and batch requests, retrain,
        //    register 1.1.0 as staging, send it 30% of the traffic as a canary, compare the two
        //    versions' accuracy on the monitor, then promote the canary (or roll back).
        ServingRun serving = serve(registry, modelName, customers, trained.features(), out, seed,
                config.getInt("model.hyperparameters.n_estimators"), config.getInt("model.hyperparameters.max_depth"));
        System.out.println("served " + serving.requests() + " requests; canary " + serving.canaryVersion() + " "
                + (serving.promoted() ? "promoted" : "rolled back") + "; production now " + serving.productionAfter());

        System.out.println("model " + production.coordinates() + " accuracy " + String.format("%.3f", trained.accuracy()));
        return new Result(config, customers, csv, production, trained.accuracy(), churnProbabilities, diff, drift, monitoring,
                serving);
    }

    /**
     * What the workflow produced.
     *
     * @param config the configuration in force
     * @param customers the generated dataset
     * @param csv where it was written
     * @param production the registered model version that the production alias points at
     * @param accuracy the model's validation accuracy
     * @param churnProbabilities predictions of the model loaded back from the registry, for the first rows
     * @param diff the comparison of the two committed data versions
     * @param drift the drift report of the shifted batch
     * @param monitoring what the monitoring step saw
     * @param serving what the serving step did
     */
    public record Result(MlopsConfig config, Dataset customers, Path csv, ModelVersion production, double accuracy,
                         double[] churnProbabilities, DatasetDiff diff, DriftReport drift, MonitorRun monitoring,
                         ServingRun serving) {
    }

    /**
     * The serving step's outcome.
     *
     * @param requests predictions answered
     * @param versionsSeen how many responses each version gave
     * @param canaryVersion the retrained version tried as a canary
     * @param productionAccuracy the production version's accuracy on the canary traffic
     * @param canaryAccuracy the canary's accuracy
     * @param promoted whether the canary was promoted
     * @param productionAfter the version production serves at the end
     */
    public record ServingRun(int requests, Map<String, Integer> versionsSeen, String canaryVersion, Double productionAccuracy,
                             Double canaryAccuracy, boolean promoted, String productionAfter) {
    }

    static ServingRun serve(ModelRegistry registry, String modelName, Dataset customers, List<String> features, Path out,
                            long seed, int trees, int depth) {
        Path db = out.resolve("serving-monitor.db");
        try {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                java.nio.file.Files.deleteIfExists(Path.of(db + suffix));
            }
        } catch (IOException e) {
            throw new StorageException("Cannot reset " + db + ": " + e.getMessage(), e);
        }
        // a retrained candidate: more trees, deeper, another seed
        ChurnModel.Trained retrained = ChurnModel.train(customers, "churn", 0.2, trees + 50, depth + 2, seed + 100);
        ModelVersion candidate = registry.register(modelName).version("1.1.0").artifact(retrained.model(), ChurnModel.CODEC)
                .metadata("accuracy", retrained.accuracy()).metadata("feature_names", retrained.features())
                .tag("algorithm", "RandomForest").overwrite(true).save();
        registry.setAlias(modelName, "staging", candidate.version());
        Map<String, Integer> seen = new java.util.TreeMap<>();
        HttpClient client = HttpClient.newHttpClient();
        Dataset traffic = CustomerData.generate(600, seed + 5);
        double[] truth = traffic.numeric("churn");
        try (ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.sqlite(db)).build();
             ModelServer server = ModelServer.builder()
                     .fromRegistry(registry, modelName, "production", ChurnModel.LOADER)
                     .canary("staging", 0.3)
                     .pollInterval(Duration.ofMillis(200))
                     .monitor(monitor)
                     .port(0)
                     .build().start()) {
            LOG.info("Serving {} {} with canary {} on {}", modelName, server.modelVersion(), server.canaryVersion(), server.uri());
            // a single request and a batch, as a client would send them
            JsonNode one = post(client, server.uri().resolve("predict"), Map.of("tenure_months", 2.0, "monthly_charges", 99.0,
                    "age", 30.0, "total_charges", 198.0, "support_calls", 4.0, "contract", "month-to-month"));
            LOG.info("POST /predict -> {}", one);
            JsonNode batch = post(client, server.uri().resolve("batch_predict"), Map.of("instances",
                    List.of(ChurnModel.request(traffic, 0), ChurnModel.request(traffic, 1), ChurnModel.request(traffic, 2)),
                    "batch_size", 2));
            LOG.info("POST /batch_predict -> {} predictions by {}", batch.get("count"), batch.get("model_version"));
            int requests = 2 + 2; // the two above (one + a batch of three counted as one request each way)
            for (int row = 3; row < traffic.rowCount(); row++) {
                JsonNode r = post(client, server.uri().resolve("predict"), ChurnModel.request(traffic, row));
                seen.merge(r.get("model_version").asText(), 1, Integer::sum);
                monitor.feedback(r.get("prediction_id").asLong(), (int) truth[row]); // the truth, a little later
                requests++;
            }
            Double productionAccuracy = monitor.metrics(Duration.ofHours(1), "1.0.0").quality().accuracy();
            Double canaryAccuracy = monitor.metrics(Duration.ofHours(1), candidate.version()).quality().accuracy();
            LOG.info("Canary comparison: production 1.0.0 accuracy {} on {} requests, canary {} accuracy {} on {} requests",
                    fmt(productionAccuracy), seen.get("1.0.0"), candidate.version(), fmt(canaryAccuracy),
                    seen.get(candidate.version()));
            System.out.println(summary(monitor.dashboard()));
            boolean promote = canaryAccuracy != null && productionAccuracy != null && canaryAccuracy >= productionAccuracy - 0.02;
            if (promote) {
                registry.setAlias(modelName, "production", candidate.version());
            } else {
                registry.removeAlias(modelName, "staging"); // roll back: the canary stops getting traffic
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String expected = promote ? candidate.version() : "1.0.0";
            while (!expected.equals(server.modelVersion()) && System.nanoTime() < deadline) {
                sleep(50);
            }
            LOG.info("{}: production serves {}", promote ? "Promoted the canary" : "Rolled back", server.modelVersion());
            return new ServingRun(requests, seen, candidate.version(), productionAccuracy, canaryAccuracy, promote,
                    server.modelVersion());
        } finally {
            // leave the registry as the example found it on re-runs: production back to 1.0.0
            registry.setAlias(modelName, "production", "1.0.0");
        }
    }

    private static JsonNode post(HttpClient client, java.net.URI uri, Object body) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("POST " + uri + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new StorageException("POST " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The monitoring step's outcome.
     *
     * @param opened the alerts that opened
     * @param activeAtEnd how many alerts were still active at the end
     * @param dashboard the final dashboard
     */
    public record MonitorRun(List<Alert> opened, int activeAtEnd, Dashboard dashboard) {
    }

    static MonitorRun monitor(Model<Label> model, List<String> features, Path out, long seed, String version) {
        Path db = out.resolve("monitor.db");
        try {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                java.nio.file.Files.deleteIfExists(Path.of(db + suffix)); // a fresh demo each run
            }
        } catch (IOException e) {
            throw new StorageException("Cannot reset " + db + ": " + e.getMessage(), e);
        }
        ManualClock clock = new ManualClock(java.time.Instant.now());
        List<Alert> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ModelMonitor monitor = ModelMonitor.builder()
                .store(MonitorStore.sqlite(db))
                .defaultRules(false)
                .rule(AlertRule.when(Metric.ACCURACY).below(0.70).over(Duration.ofMinutes(30)).minSamples(100)
                        .severity(AlertSeverity.HIGH))
                .onAlert(alert -> {
                    opened.add(alert);
                    LOG.warn("ALERT {}: {}", alert.id(), alert.message());
                })
                .clock(clock)
                .build()) {
            serve(monitor, model, features, CustomerData.generate(400, seed + 2), false, clock, version);
            monitor.checkNow();
            LOG.info("Healthy traffic: accuracy {} over {} answered predictions",
                    fmt(monitor.metrics(Duration.ofMinutes(30)).quality().accuracy()), monitor.metrics(Duration.ofMinutes(30)).counts().withFeedback());
            clock.advance(Duration.ofMinutes(40));
            serve(monitor, model, features, CustomerData.generate(400, seed + 3), true, clock, version);
            monitor.checkNow();
            LOG.info("Broken traffic: accuracy {}, active alerts {}", fmt(monitor.metrics(Duration.ofMinutes(30)).quality().accuracy()),
                    monitor.activeAlerts().size());
            clock.advance(Duration.ofMinutes(40));
            serve(monitor, model, features, CustomerData.generate(400, seed + 4), false, clock, version);
            monitor.checkNow();
            LOG.info("Recovered: accuracy {}, active alerts {}", fmt(monitor.metrics(Duration.ofMinutes(30)).quality().accuracy()),
                    monitor.activeAlerts().size());
            Dashboard dashboard = monitor.dashboard();
            System.out.println(summary(dashboard));
            try {
                java.nio.file.Files.write(out.resolve("dashboard.json"),
                        dashboard.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new io.mlops.core.StorageException("Cannot write the dashboard: " + e.getMessage(), e);
            }
            return new MonitorRun(List.copyOf(opened), monitor.activeAlerts().size(), dashboard);
        }
    }

    /** Predicts every row as a request would, then sends the truth back (flipped when broken). */
    private static void serve(ModelMonitor monitor, Model<Label> model, List<String> features, Dataset requests,
                              boolean broken, ManualClock clock, String version) {
        double[] churn = requests.numeric("churn");
        long[] ids = new long[requests.rowCount()];
        for (int row = 0; row < requests.rowCount(); row++) {
            long started = System.nanoTime();
            double p = ChurnModel.churnProbability(model, requests, row, features);
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            ids[row] = monitor.prediction().output(p >= 0.5 ? 1 : 0).probability(p).latency(latency)
                    .modelVersion(version).user("customer-" + row).log();
            clock.advance(Duration.ofSeconds(4));
        }
        // delayed feedback: the truth arrives after the batch
        for (int row = 0; row < ids.length; row++) {
            int actual = (int) churn[row];
            monitor.feedback(ids[row], broken ? 1 - actual : actual);
        }
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format("%.3f", v);
    }
}
