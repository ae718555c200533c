package io.mlops.examples;

import io.mlops.core.Dataset;
import io.mlops.data.DatasetDiff;
import io.mlops.drift.DriftReport;
import io.mlops.monitor.Alert;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every README code block runs, and the README shows the code that runs. */
class ReadmeSnippetsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"configuration", "registry", "data", "drift", "monitor", "serving", "parquet"})
    void theReadmeShowsTheCodeThatRuns(String name) throws Exception {
        io.mlops.core.testkit.ReadmeBlocks.assertShown(Path.of("src/main/java/io/mlops/examples/ReadmeSnippets.java"), name);
    }

    @Test
    void configurationRuns() {
        assertThat(ReadmeSnippets.configuration(dir)).isEqualTo("2.0.0");
    }

    @Test
    void registryRunsAndRollsBack() {
        ChurnModel.Trained trained = ChurnModel.train(CustomerData.generate(300, 1), "churn", 0.2, 3, 4, 1);
        assertThat(ReadmeSnippets.registry(dir, trained.model())).isEqualTo("1.0.0 1.0.0");
    }

    @Test
    void dataRuns() throws Exception {
        Dataset a = Dataset.builder().numeric("feature1", new double[] {1, 2, 3}).build();
        Dataset b = Dataset.builder().numeric("feature1", new double[] {1, 2, 3, 4})
                .numeric("feature3", new double[] {5, 6, 7, 8}).build();
        DatasetDiff diff = ReadmeSnippets.data(dir, a, b);
        assertThat(diff.columnsAdded()).containsExactly("feature3");
    }

    @Test
    void parquetRunsOnPartFolders() throws Exception {
        Dataset train = CustomerData.generate(400, 1);
        train.writeParquet(dir.resolve("train.parquet"));
        double[] ids = new double[train.rowCount()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        Dataset keyed = train.toBuilder().numeric("customer_id", ids).build();
        keyed.writeParquet(dir.resolve("events-day1").resolve("part-00000.parquet"));
        double[] tenure = keyed.numeric("tenure_months");
        tenure[7] += 1; // one customer's row changed the next day
        Dataset day2 = keyed.toBuilder().remove("tenure_months").numeric("tenure_months", tenure).build();
        day2.writeParquet(dir.resolve("events-day2").resolve("part-00000.parquet"));
        io.mlops.data.RowDiff rows = ReadmeSnippets.parquet(dir);
        assertThat(rows.changed()).isEqualTo(1);
        assertThat(rows.changedExamples().get(0).key()).isEqualTo(Map.of("customer_id", 7.0));
        assertThat(rows.added() + rows.removed()).isZero();
    }

    @Test
    void driftRunsAndTheShippedProfileGivesTheSameVerdict() throws Exception {
        Dataset reference = CustomerData.generate(500, 1);
        Dataset today = CustomerData.generate(500, 2, 1.0);
        DriftReport fromProfile = ReadmeSnippets.drift(dir, reference, today);
        assertThat(dir.resolve("drift-report.html")).exists();
        assertThat(fromProfile.driftDetected()).isTrue();
    }

    @Test
    void monitorRuns() {
        List<Alert> alerts = new ArrayList<>();
        MetricsSnapshot m = ReadmeSnippets.monitor(dir, Map.of("tenure_months", 3), alerts::add);
        assertThat(m.counts().predictions()).isEqualTo(1);
        assertThat(m.quality().accuracy()).isEqualTo(1.0);
    }

    @Test
    void servingRunsBehindItsToken() throws Exception {
        ChurnModel.Trained trained = ChurnModel.train(CustomerData.generate(300, 1), "churn", 0.2, 3, 4, 1);
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        registry.register("customer_churn_predictor").version("1.0.0").artifact(trained.model(), ChurnModel.CODEC)
                .metadata("feature_names", trained.features()).save();
        registry.setAlias("customer_churn_predictor", "production", "1.0.0");
        String token = "readme-token-0123456789";
        try (ModelMonitor monitor = ModelMonitor.builder().build();
             ModelServer server = ReadmeSnippets.serving(registry, monitor, token)) {
            Map<String, Object> request = ChurnModel.request(CustomerData.generate(10, 3), 0);
            String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(request);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.uri() + "predict"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"model_version\":\"1.0.0\"");
        }
    }
}
