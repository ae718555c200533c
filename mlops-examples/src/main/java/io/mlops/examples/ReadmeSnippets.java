package io.mlops.examples;

import io.mlops.core.Dataset;
import io.mlops.core.MlopsConfig;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetDiff;
import io.mlops.data.DatasetVersion;
import io.mlops.data.RowDiff;
import io.mlops.data.spi.DatasetFormat;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.Alert;
import io.mlops.parquet.ParquetProfiles;
import io.mlops.monitor.AlertRule;
import io.mlops.monitor.Metric;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.AlertSeverity;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.registry.ModelCodec;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.serving.FeatureSchema;
import io.mlops.serving.ModelLoader;
import io.mlops.serving.ModelServer;
import io.mlops.serving.Predictor;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The README's code blocks, each between {@code // README <name>: begin} and {@code end} markers,
 * so that they compile and run with the build ({@code ReadmeSnippetsTest} runs them and checks that
 * the README shows the same lines). Edit both together.
 */
public final class ReadmeSnippets {

    private ReadmeSnippets() {
    }

    /**
     * @param dir where files go
     * @return the version read back
     */
    public static String configuration(Path dir) {
        // README configuration: begin
        MlopsConfig c = MlopsConfig.defaults().with("model.version", "2.0.0");
        c.save(dir.resolve("config.json"));
        String version = MlopsConfig.load(dir.resolve("config.json")).getString("model.version");   // "2.0.0"
        // README configuration: end
        return version;
    }

    /**
     * @param dir where the registry lives
     * @param model a trained model
     * @return the version production points at after the rollback
     */
    @SuppressWarnings("rawtypes")
    public static String registry(Path dir, Model model) {
        // README registry: begin
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("models"));
        ModelCodec<Model> codec = ModelCodec.javaSerialization(Model.class,        // allow-list of classes
                "org.tribuo.**", "com.oracle.labs.mlrg.olcut.**", "java.util.**", "java.lang.*", "java.time.*");
        ModelVersion v = registry.register("customer_churn_predictor")
                .version("1.0.0")                          // omitted: next patch after the highest, allocated atomically
                .artifact(model, codec)
                .metadata("accuracy", 0.95)
                .tag("algorithm", "RandomForest")
                .save();                                   // an existing version is an error unless overwrite(true)
        registry.setAlias("customer_churn_predictor", "production", "1.0.0");
        Model loaded = registry.load(registry.byAlias("customer_churn_predictor", "production").orElseThrow(), codec);
        registry.register("customer_churn_predictor").artifact(loaded, codec).save();                // 1.0.1
        registry.setAlias("customer_churn_predictor", "production", "1.0.1");
        registry.rollback("customer_churn_predictor", "production");   // back to the previous target, 1.0.0
        // README registry: end
        return registry.byAlias("customer_churn_predictor", "production").orElseThrow().version() + " " + v.version();
    }

    /**
     * @param dir where the store lives
     * @param dataset a dataset
     * @param dataset2 its next version
     * @return the diff
     * @throws IOException when the events file cannot be written
     */
    public static DatasetDiff data(Path dir, Dataset dataset, Dataset dataset2) throws IOException {
        Files.write(dir.resolve("events.bin"), new byte[] {1, 2, 3});
        // README data: begin
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("data-versions"));
        DatasetVersion v1 = data.commit("customer_data", dataset).description("Original").save();
        DatasetVersion v2 = data.commit("customer_data", dataset2).description("Added feature3")
                .parents(v1.id()).save();                                   // parents must exist
        DatasetVersion f  = data.commit("raw_events", dir.resolve("events.bin")).save();   // any file, streamed
        DatasetDiff diff = data.compare(v1.id(), v2.id());                   // rows, columns, types, statistics
        data.lineage(v2.id());                                              // v2, then every ancestor once
        Dataset back = data.load(v2.id());                                  // verified against its SHA-256
        // README data: end
        if (back.rowCount() != dataset2.rowCount() || f.sizeBytes() != 3) {
            throw new IllegalStateException("the data snippet read back something else");
        }
        return diff;
    }

    /**
     * @param dir where the files and the store live: {@code train.parquet} and the folders
     *        {@code events-day1} and {@code events-day2} of Parquet part files, keyed by {@code customer_id}
     * @return the row comparison of the two days
     */
    public static RowDiff parquet(Path dir) {
        // README parquet: begin
        Dataset train = Dataset.readParquet(dir.resolve("train.parquet"));   // a file, or a folder of part files
        DataVersioning data = DataVersioning.builder().fileSystem(dir.resolve("versions"))
                .format(DatasetFormat.parquet()).build();                   // tables stored as Parquet (zstd)
        DatasetVersion day1 = data.commit("events", dir.resolve("events-day1")).save();   // Spark's output folder
        DatasetVersion day2 = data.commit("events", dir.resolve("events-day2")).parents(day1.id()).save();
        RowDiff rows = data.compareRows(day1.id(), day2.id(), "customer_id");  // added, removed, changed
        ReferenceProfile profile = ParquetProfiles.profile(dir.resolve("events-day2"), 10);  // outside the heap
        DriftReport report = DriftDetector.builder(profile).build().detect(train);
        // README parquet: end
        if (report.features().isEmpty()) {
            throw new IllegalStateException("the parquet snippet compared nothing");
        }
        return rows;
    }

    /**
     * @param dir where the report goes
     * @param trainingData the reference
     * @param todaysBatch the current data
     * @return the report
     * @throws IOException when the report cannot be written
     */
    public static DriftReport drift(Path dir, Dataset trainingData, Dataset todaysBatch) throws IOException {
        // README drift: begin
        DriftDetector detector = DriftDetector.builder(trainingData)
                .significance(0.05)                          // p-value tests
                .build();                                    // profiles the reference once
        DriftReport report = detector.detect(todaysBatch);
        report.driftDetected(); report.driftShare(); report.summary();
        Files.writeString(dir.resolve("drift-report.html"), report.toHtml());   // self-contained, inline SVG
        ReferenceProfile profile = ReferenceProfile.fromJson(detector.profile().toJson()); // ship this, not the data
        // README drift: end
        return DriftDetector.builder(profile).build().detect(todaysBatch);
    }

    /**
     * @param dir where the database goes
     * @param features one request's features
     * @param pager receives alerts
     * @return the last hour's metrics
     */
    public static MetricsSnapshot monitor(Path dir, Map<String, Object> features, Consumer<Alert> pager) {
        // README monitor: begin
        try (ModelMonitor monitor = ModelMonitor.builder()
                .store(MonitorStore.sqlite(dir.resolve("monitor.db")))   // or MonitorStore.jdbc(dataSource), inMemory()
                .threshold(Metric.ACCURACY, 0.80)                    // the reference's defaults, adjustable
                .rule(AlertRule.when(Metric.P95_LATENCY).above(Duration.ofMillis(200))
                        .over(Duration.ofMinutes(5)).severity(AlertSeverity.HIGH))
                .onAlert(pager)                                      // e.g. alert -> pager.send(alert.message())
                .build()) {
            long id = monitor.prediction().input(features).output(1).probability(0.83)
                    .latency(Duration.ofMillis(12)).modelVersion("1.0.0").user("u-17").log();
            monitor.feedback(id, true);                               // later; 1, 1.0 and true are one label
            MetricsSnapshot m = monitor.metrics(Duration.ofHours(1)); // or metrics(window, "2.0.0") per version
            System.out.println(monitor.dashboard().toJson());
            return m;
        }
        // README monitor: end
    }

    /**
     * @param registry a registry whose "production" alias points at a Tribuo model
     * @param monitor the monitor
     * @param apiToken the bearer token, 16 characters or more
     * @return the running server
     */
    public static ModelServer serving(ModelRegistry registry, ModelMonitor monitor, String apiToken) {
        ModelCodec<Model> codec = ChurnModel.CODEC;
        // README serving: begin
        ModelLoader loader = (reg, version) -> toPredictor(reg.load(version, codec), version);   // your model -> Predictor
        ModelServer server = ModelServer.builder()
                .fromRegistry(registry, "customer_churn_predictor", "production", loader)
                .canary("staging", 0.10)                       // or .abTest("staging", 0.5, "user_id"): sticky per user
                .monitor(monitor)                              // every request logged, per model version
                .featureSchema(FeatureSchema.builder().number("tenure_months").string("contract").build())
                .bearerToken(apiToken)                         // from your secrets: at least 16 characters
                .port(0)                                       // 0 = any free port; 8080 by default
                .build().start();
        // README serving: end
        return server;
    }

    /** The example's adapter: a Tribuo model and the feature names registered with it. */
    @SuppressWarnings("unchecked")
    private static Predictor toPredictor(Model<?> model, ModelVersion version) {
        Object names = version.metadata().get("feature_names");
        return ChurnModel.predictor((Model<Label>) model, names == null ? List.of() : (List<String>) names);
    }
}
