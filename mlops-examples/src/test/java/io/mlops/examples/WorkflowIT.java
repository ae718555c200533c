package io.mlops.examples;

import io.mlops.core.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class WorkflowIT {

    @TempDir
    Path dir;

    @Test
    void runsEndToEndWithTheDefaults() {
        Workflow.Result result = Workflow.run(null, dir);

        assertThat(result.csv()).isEqualTo(dir.resolve("data/train.csv"));
        assertThat(Dataset.readCsv(result.csv()).contentHash()).isEqualTo(result.customers().contentHash());
        assertThat(result.customers().rowCount()).isEqualTo(1000);
        assertThat(dir.resolve("config.json")).exists();

        assertThat(result.diff().columnsAdded()).containsExactly("charge_per_tenure");
        assertThat(result.diff().columnsRemoved()).containsExactly("total_charges");
        assertThat(result.drift().driftDetected()).isTrue();
        assertThat(result.drift().driftedFeatures()).contains("monthly_charges", "support_calls", "contract")
                .doesNotContain("age").doesNotContain("churn"); // the label is the target, reported apart
        assertThat(result.drift().targetDrift()).hasValueSatisfying(t -> assertThat(t.feature()).isEqualTo("churn"));
        assertThat(dir.resolve("drift-report.html")).exists();
        assertThat(dir.resolve("drift-report.json")).exists();
        assertThat(dir.resolve("dashboard.json")).exists();
        assertThat(result.serving().versionsSeen()).containsKeys("1.0.0", "1.1.0");
        assertThat(result.serving().productionAfter()).isEqualTo(result.serving().promoted() ? "1.1.0" : "1.0.0");
        assertThat(io.mlops.registry.ModelRegistry.fileSystem(dir.resolve("registry"))
                .byAlias("customer_churn_predictor", "production").orElseThrow().version()).isEqualTo("1.0.0");
        assertThat(result.monitoring().opened()).hasSize(1);
        assertThat(result.monitoring().opened().get(0).metric()).isEqualTo(io.mlops.monitor.Metric.ACCURACY);
        assertThat(result.monitoring().activeAtEnd()).isZero();
        assertThat(result.monitoring().dashboard().last24Hours().counts().predictions()).isEqualTo(1200);
        assertThat(result.production().coordinates()).isEqualTo("customer_churn_predictor:1.0.0");
        assertThat(result.production().metadata()).containsKeys("accuracy", "feature_names", "dataset");
        assertThat(result.accuracy()).isGreaterThan(0.65); // churn rate is ~0.31: better than always "no"
        assertThat(java.util.Arrays.stream(result.churnProbabilities()).boxed()).allSatisfy(p -> assertThat(p).isBetween(0.0, 1.0));
    }

    @Test
    void runningTwiceReplacesTheExampleModel() {
        Workflow.run(null, dir);
        Workflow.Result again = Workflow.run(null, dir);
        assertThat(io.mlops.registry.ModelRegistry.fileSystem(dir.resolve("registry")).versions("customer_churn_predictor"))
                .hasSize(2); // 1.0.0 and the retrained 1.1.0, each replaced, not added again
        assertThat(again.production().version()).isEqualTo("1.0.0");
    }

    @Test
    void aConfigFileChangesTheSeedAndSoTheData() throws Exception {
        Path config = dir.resolve("my-config.json");
        Files.writeString(config, "{\"model\": {\"hyperparameters\": {\"random_state\": 7}}}");

        Workflow.Result withFile = Workflow.run(config, dir.resolve("a"));
        Workflow.Result defaults = Workflow.run(null, dir.resolve("b"));

        assertThat(withFile.config().getInt("model.hyperparameters.n_estimators")).isEqualTo(100);
        assertThat(withFile.customers().contentHash()).isNotEqualTo(defaults.customers().contentHash());
    }

    @Test
    void theSyntheticDataIsDeterministicAndLearnable() {
        Dataset a = CustomerData.generate(1000, 42);
        Dataset b = CustomerData.generate(1000, 42);
        assertThat(a).isEqualTo(b);
        double churnRate = java.util.Arrays.stream(a.numeric("churn")).average().orElseThrow();
        assertThat(churnRate).isBetween(0.15, 0.6);
        assertThat(a.categories("contract")).containsExactlyInAnyOrder(CustomerData.CONTRACTS);
    }

    @Test
    void helpPrintsUsageAndTheRunNamesItsOutputs() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            Workflow.main(new String[] {"--help"});
        } finally {
            System.setOut(old);
        }
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).startsWith("usage: Workflow").contains("--out DIR");
        assertThat(Workflow.outputs(dir)).contains("drift-report.html").contains("dashboard.json").contains("registry/");
    }
}
