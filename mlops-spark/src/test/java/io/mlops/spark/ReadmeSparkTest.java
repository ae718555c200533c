package io.mlops.spark;

import io.mlops.drift.DriftReport;
import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.serving.ModelServer;
import io.mlops.serving.Prediction;
import io.mlops.serving.Predictor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Spark walk-through runs: a training table profiled in Spark, the profile saved,
 * today's table checked in Spark, and the saved profile compared with a served model's live traffic.
 */
class ReadmeSparkTest {

    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("mlops-readme-spark");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static void table(Path where, long seed, int plans) {
        spark.range(0, 200_000, 1, 4).select(col("id").as("customer_id"), randn(seed).multiply(12).plus(36).as("tenure"),
                concat(lit("plan-"), floor(rand(seed + 1).multiply(plans)).cast("string")).as("plan"))
                .write().parquet(where.toUri().toString());
    }

    @Test
    void theReadmeShowsTheCodeThatRuns() throws Exception {
        io.mlops.core.testkit.ReadmeBlocks.assertShown(Path.of("src/test/java/io/mlops/spark/ReadmeSparkTest.java"), "spark");
        io.mlops.core.testkit.ReadmeBlocks.assertShown(Path.of("src/test/java/io/mlops/spark/ReadmeSparkTest.java"), "spark-live");
    }

    @Test
    void profileInSparkThenCheckLiveTrafficInAServedModel() throws Exception {
        table(dir.resolve("training"), 1, 3);
        table(dir.resolve("today"), 2, 4); // a fourth plan appeared
        // README spark: begin
        Dataset<Row> training = spark.read().parquet(dir.resolve("training").toString());    // any DataFrame
        ReferenceProfile profile = SparkProfiles.profile(training, 10, "customer_id");       // one distributed pass
        Files.writeString(dir.resolve("training.profile.json"), profile.toJson());           // ship this, not the data
        DriftReport today = SparkDrift.detect(profile, spark.read().parquet(dir.resolve("today").toString()));
        // README spark: end
        assertThat(today.driftedFeatures()).contains("plan");
        assertThat(today.referenceRows()).isEqualTo(200_000);

        Predictor model = features -> Prediction.of(((Number) features.get("tenure")).doubleValue() > 24 ? 0 : 1);
        try (ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.inMemory()).build()) {
            // README spark-live: begin
            ReferenceProfile shipped = ReferenceProfile.fromJson(Files.readString(dir.resolve("training.profile.json")));
            try (ModelServer server = ModelServer.builder().predictor(model).monitor(monitor).port(0).build().start()) {
                // ... live traffic on POST /predict ...
                // README spark-live: end
                HttpClient http = HttpClient.newHttpClient();
                Random r = new Random(3);
                for (int i = 0; i < 150; i++) {
                    String body = "{\"tenure\": " + (r.nextGaussian() * 12 + 60) + ", \"plan\": \"plan-" + r.nextInt(3) + "\"}";
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/predict")).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                }
                monitor.flush();
                // README spark-live: begin
                DriftReport live = monitor.drift(Duration.ofHours(1), shipped);   // the served inputs against training
                // README spark-live: end
                assertThat(live.driftedFeatures()).contains("tenure"); // live tenure moved up by two standard deviations
            }
        }
    }
}
