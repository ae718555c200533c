package io.mlops.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MlopsConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheReferencePipeline() {
        MlopsConfig c = MlopsConfig.defaults();
        assertThat(c.getString("model.name")).isEqualTo("default_model");
        assertThat(c.getString("model.version")).isEqualTo("1.0.0");
        assertThat(c.getString("model.algorithm")).isEqualTo("random_forest");
        assertThat(c.getInt("model.hyperparameters.n_estimators")).isEqualTo(100);
        assertThat(c.getInt("model.hyperparameters.max_depth")).isEqualTo(10);
        assertThat(c.getInt("model.hyperparameters.random_state")).isEqualTo(42);
        assertThat(c.getString("data.train_path")).isEqualTo("data/train.csv");
        assertThat(c.getString("data.test_path")).isEqualTo("data/test.csv");
        assertThat(c.getDouble("data.validation_split")).isEqualTo(0.2);
        assertThat(c.getString("data.target_column")).isEqualTo("target");
        assertThat(c.getString("deployment.environment")).isEqualTo("staging");
        assertThat(c.getString("deployment.api_version")).isEqualTo("v1");
        assertThat(c.getInt("deployment.max_requests_per_minute")).isEqualTo(1000);
        assertThat(c.getInt("deployment.timeout_seconds")).isEqualTo(30);
        assertThat(c.getDouble("monitoring.drift_threshold")).isEqualTo(0.1);
        assertThat(c.getDouble("monitoring.performance_threshold")).isEqualTo(0.85);
        assertThat(c.getString("monitoring.alert_email")).isEqualTo("admin@company.com");
        assertThat(c.toMap()).containsOnlyKeys("model", "data", "deployment", "monitoring");
    }

    @Test
    void loadIfExistsGivesTheDefaultsWithoutAFileAndMergesOne() throws Exception {
        Path file = dir.resolve("optional.json");
        assertThat(MlopsConfig.loadIfExists(file).getString("model.version"))
                .isEqualTo(MlopsConfig.defaults().getString("model.version"));
        java.nio.file.Files.writeString(file, "{\"model\": {\"version\": \"9.9.9\"}}");
        assertThat(MlopsConfig.loadIfExists(file).getString("model.version")).isEqualTo("9.9.9");
        java.nio.file.Files.writeString(file, "{\"model\": ");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MlopsConfig.loadIfExists(file))
                .isInstanceOf(ConfigException.class).hasMessageContaining(file.toString());
    }

    @Test
    void loadMergesDeeplySoOtherDefaultsSurvive() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"model\": {\"version\": \"2.0.0\"}}");

        MlopsConfig c = MlopsConfig.load(file);

        assertThat(c.getString("model.version")).isEqualTo("2.0.0");
        assertThat(c.getInt("model.hyperparameters.n_estimators")).isEqualTo(100);
        assertThat(c.getString("model.name")).isEqualTo("default_model");
        assertThat(c.getString("deployment.environment")).isEqualTo("staging");
    }

    @Test
    void nestedObjectsMergeAtEveryLevelAndOtherValuesReplace() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"model\": {\"hyperparameters\": {\"max_depth\": 20, \"extra\": [1, 2]}},"
                + " \"monitoring\": {\"alert_email\": null}, \"custom\": {\"a\": true}}");

        MlopsConfig c = MlopsConfig.load(file);

        assertThat(c.getInt("model.hyperparameters.max_depth")).isEqualTo(20);
        assertThat(c.getInt("model.hyperparameters.n_estimators")).isEqualTo(100);
        assertThat(c.find("model.hyperparameters.extra")).contains(List.of(1, 2));
        assertThat(c.find("monitoring.alert_email")).isEmpty();
        assertThat(c.getBoolean("custom.a")).isTrue();
    }

    @Test
    void environmentOverridesWinOverTheFile() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"model\": {\"version\": \"2.0.0\", \"hyperparameters\": {\"max_depth\": 20}}}");

        MlopsConfig c = MlopsConfig.load(file).withEnvironment(Map.of(
                "MLOPS_MODEL__VERSION", "3.1.0",
                "MLOPS_MODEL__HYPERPARAMETERS__MAX_DEPTH", "12",
                "MLOPS_DATA__VALIDATION_SPLIT", "0.25",
                "MLOPS_MONITORING__ENABLED", "true",
                "MLOPS_MODEL__NAME", "42",
                "PATH", "/usr/bin",
                "MLOPSX", "ignored"));

        assertThat(c.getString("model.version")).isEqualTo("3.1.0");
        assertThat(c.getInt("model.hyperparameters.max_depth")).isEqualTo(12);
        assertThat(c.getDouble("data.validation_split")).isEqualTo(0.25);
        assertThat(c.getBoolean("monitoring.enabled")).isTrue();
        // the default is a string, so the variable stays a string even though it looks like a number
        assertThat(c.getString("model.name")).isEqualTo("42");
        assertThat(c.has("path")).isFalse();
    }

    @Test
    void environmentVariableWithEmptySegmentIsRejected() {
        assertThatThrownBy(() -> MlopsConfig.defaults().withEnvironment(Map.of("MLOPS_MODEL____VERSION", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("MLOPS_MODEL____VERSION")
                .hasMessageContaining("empty path segment");
    }

    @Test
    void malformedJsonNamesFileLineAndColumn() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\n  \"model\": {\n    \"version\": \"2.0.0\",\n  }\n}\n");

        assertThatThrownBy(() -> MlopsConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 4")
                .hasMessageContaining("column 3");
    }

    @Test
    void trailingGarbageAndNonObjectsAreRejected() throws Exception {
        Path trailing = dir.resolve("trailing.json");
        Files.writeString(trailing, "{} {}");
        assertThatThrownBy(() -> MlopsConfig.load(trailing)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1");

        Path array = dir.resolve("array.json");
        Files.writeString(array, "[1, 2]");
        assertThatThrownBy(() -> MlopsConfig.load(array)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must hold a JSON object but holds an array");

        assertThatThrownBy(() -> MlopsConfig.load(dir.resolve("missing.json"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void typedGettersNameThePathAndTheTypeFound() {
        MlopsConfig c = MlopsConfig.defaults();
        assertThatThrownBy(() -> c.getInt("model.name"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Configuration value 'model.name' must be a whole number but is a string (\"default_model\")");
        assertThatThrownBy(() -> c.getString("model.hyperparameters"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'model.hyperparameters' must be a string but is an object");
        assertThatThrownBy(() -> c.getInt("data.validation_split"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be a whole number but is 0.2");
        assertThatThrownBy(() -> c.getBoolean("model.nothing"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("No configuration value at 'model.nothing'");
        assertThat(c.with("x", 3_000_000_000L).getLong("x")).isEqualTo(3_000_000_000L);
        assertThatThrownBy(() -> c.with("x", 3_000_000_000L).getInt("x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("out of range");
        assertThat(c.with("x", 5.0).getInt("x")).isEqualTo(5);
    }

    @Test
    void withReturnsACopyAndLeavesTheOriginalUnchanged() {
        MlopsConfig c = MlopsConfig.defaults();
        MlopsConfig c2 = c.with("model.version", "2.0.0").with("new.nested.key", Map.of("k", 1));

        assertThat(c.getString("model.version")).isEqualTo("1.0.0");
        assertThat(c2.getString("model.version")).isEqualTo("2.0.0");
        assertThat(c2.getInt("new.nested.key.k")).isEqualTo(1);
        assertThat(c.has("new")).isFalse();
        assertThatThrownBy(() -> c.with("model.version.major", 2))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'model.version' is a string");
        assertThatThrownBy(() -> c.with("model..version", 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapsHandedOutAreUnmodifiable() {
        Map<String, Object> m = MlopsConfig.defaults().getMap("model");
        assertThatThrownBy(() -> m.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void saveCreatesFoldersAndLoadReadsBackTheSameConfig() {
        MlopsConfig c = MlopsConfig.defaults().with("model.version", "2.0.0").with("custom.list", List.of("a", "b"));
        Path file = dir.resolve("nested/deeper/config.json");

        c.save(file);

        assertThat(MlopsConfig.load(file)).isEqualTo(c);
        try (var s = Files.list(file.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("config.json");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
