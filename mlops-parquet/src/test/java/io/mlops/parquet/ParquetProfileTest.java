package io.mlops.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlops.core.Dataset;
import io.mlops.core.Json;
import io.mlops.data.DataVersioning;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.FeatureDrift;
import io.mlops.drift.ReferenceProfile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A profile computed outside the heap from Parquet is the profile a detector makes from the same
 * data in the heap: the same counts, PSI edges and proportions, category counts and quantile
 * points (means and standard deviations up to the order of additions), and the same drift
 * decisions on the same current data.
 */
class ParquetProfileTest {

    @TempDir
    Path dir;

    private static Dataset data(long seed, int rows, double shift) {
        Random r = new Random(seed);
        double[] normal = new double[rows];
        double[] ties = new double[rows];
        double[] sparse = new double[rows];
        String[] city = new String[rows];
        String[] cities = {"Lisbon", "Porto", "Faro", "Braga"};
        for (int i = 0; i < rows; i++) {
            normal[i] = r.nextInt(50) == 0 ? Double.NaN : r.nextGaussian() + shift;
            ties[i] = r.nextInt(5); // few distinct values: PSI edges collapse
            sparse[i] = i % 3 == 0 ? Double.POSITIVE_INFINITY : r.nextDouble() * 1e6;
            city[i] = r.nextInt(20) == 0 ? null : cities[r.nextInt(shift > 0 ? 4 : 3)];
        }
        return Dataset.builder().numeric("normal", normal).numeric("ties", ties).numeric("sparse", sparse)
                .categorical("city", city).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 300, 20_000, 150_000})
    void isTheProfileOfTheSameDataInTheHeap(int rows) throws Exception {
        Dataset d = data(rows, rows, 0);
        Path file = dir.resolve("train.parquet");
        d.writeParquet(file);

        JsonNode outside = Json.mapper().readTree(ParquetProfiles.profile(file, 10).toJson());
        JsonNode inside = Json.mapper().readTree(ReferenceProfile.of(d, 10).toJson());
        assertSameProfile(outside, inside);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 300, 40_000})
    void aCsvFileIsTheProfileOfItsDatasetInTheHeap(int rows) throws Exception {
        Path csv = dir.resolve("train.csv");
        data(rows, rows, 0).writeCsv(csv);
        ReferenceProfile exact = ParquetProfiles.profile(csv, 10);
        assertSameProfile(Json.mapper().readTree(exact.toJson()), Json.mapper().readTree(ReferenceProfile.of(Dataset.readCsv(csv), 10).toJson()));
        ReferenceProfile sketched = ParquetProfiles.profile(csv, 10, 0, io.mlops.core.ProgressListener.NONE);
        assertThat(sketched.rowCount()).isEqualTo(rows);
        assertThat(sketched.columns()).isEqualTo(exact.columns());
    }

    @org.junit.jupiter.api.Test
    void aMalformedCsvIsRefusedNamingTheLineAndLeavesNoEngineBehind() throws Exception {
        Path csv = dir.resolve("ragged.csv");
        java.nio.file.Files.writeString(csv, "a,b\n1,2\n3,4,5\n");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = engines(tmp);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ParquetProfiles.profile(csv, 10))
                .isInstanceOf(io.mlops.core.ValidationException.class).hasMessageContaining(csv.toString()).hasMessageContaining("line 3");
        assertThat(engines(tmp)).as("engine folders left in " + tmp).isLessThanOrEqualTo(before);
    }

    private static long engines(Path tmp) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("mlops-duckdb-")).count();
        }
    }

    private static void assertSameProfile(JsonNode outside, JsonNode inside) {
        assertThat(outside.get("rowCount")).isEqualTo(inside.get("rowCount"));
        Iterator<JsonNode> a = outside.get("columns").elements();
        for (JsonNode expected : inside.get("columns")) {
            JsonNode actual = a.next();
            String name = expected.get("name").asText();
            assertThat(actual.get("name").asText()).isEqualTo(name);
            assertThat(actual.get("type")).as(name).isEqualTo(expected.get("type"));
            assertThat(actual.get("missing")).as(name).isEqualTo(expected.get("missing"));
            if (expected.has("counts")) {
                assertThat(actual.get("counts")).as(name).isEqualTo(expected.get("counts"));
                continue;
            }
            assertThat(actual.get("count")).as(name).isEqualTo(expected.get("count"));
            assertThat(actual.get("quantiles")).as(name + " quantile points").isEqualTo(expected.get("quantiles"));
            assertThat(actual.get("proportions")).as(name).isEqualTo(expected.get("proportions"));
            assertThat(actual.get("edges").size()).as(name).isEqualTo(expected.get("edges").size());
            for (int i = 0; i < expected.get("edges").size(); i++) {
                double e = expected.get("edges").get(i).asDouble();
                assertThat(actual.get("edges").get(i).asDouble()).as(name + " edge " + i).isCloseTo(e, within(1e-12 * Math.max(1, Math.abs(e))));
            }
            closeOrBothNull(actual.get("mean"), expected.get("mean"), name);
            closeOrBothNull(actual.get("std"), expected.get("std"), name);
        }
    }

    private static void closeOrBothNull(JsonNode actual, JsonNode expected, String name) {
        if (expected == null || expected.isNull()) {
            assertThat(actual == null || actual.isNull()).as(name).isTrue();
        } else {
            assertThat(actual.asDouble()).as(name).isCloseTo(expected.asDouble(), within(1e-9 * Math.max(1, Math.abs(expected.asDouble()))));
        }
    }

    @org.junit.jupiter.api.Test
    void progressCountsTheColumns() {
        Path file = dir.resolve("p.parquet");
        data(3, 1_000, 0).writeParquet(file);
        java.util.List<String> heard = new java.util.ArrayList<>();
        ParquetProfiles.profile(file, 10, (done, total) -> heard.add(done + "/" + total));
        assertThat(heard).containsExactly("0/4", "1/4", "2/4", "3/4", "4/4");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.3})
    void decidesDriftAsTheProfileFromTheHeapDoes(double shift) throws Exception {
        Dataset reference = data(1, 50_000, 0);
        Path folder = dir.resolve("training");
        reference.writeParquet(folder.resolve("part-0.parquet"));
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        String id = data.commit("training", folder).save().id();
        Dataset current = data(2, 5_000, shift);

        DriftReport outside = DriftDetector.builder(ParquetProfiles.profile(data, id, 10)).build().detect(current);
        DriftReport inside = DriftDetector.builder(ReferenceProfile.fromJson(ReferenceProfile.of(reference, 10).toJson())).build()
                .detect(current);

        assertThat(outside.driftedFeatures()).isEqualTo(inside.driftedFeatures());
        if (shift > 0) {
            assertThat(outside.driftedFeatures()).contains("normal", "city");
        }
        for (Map.Entry<String, FeatureDrift> e : inside.features().entrySet()) {
            FeatureDrift o = outside.features().get(e.getKey());
            if (e.getValue().decision() != null) {
                assertThat(o.decision().statistic()).as(e.getKey()).isCloseTo(e.getValue().decision().statistic(), within(1e-9));
                assertThat(o.decision().psi()).as(e.getKey()).isCloseTo(e.getValue().decision().psi(), within(1e-9));
            }
        }
    }
}
