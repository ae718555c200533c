package io.mlops.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlops.core.Dataset;
import io.mlops.core.Json;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.FeatureDrift;
import io.mlops.drift.ReferenceProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.mlops.core.testkit.SortedRanks.assertWithinRank;
import static io.mlops.core.testkit.SortedRanks.doubles;
import static io.mlops.core.testkit.SortedRanks.upperBound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A profile beyond the exact budget comes from KLL sketches in one pass: its counts, means,
 * standard deviations and category counts equal the exact profile's, every quantile point and PSI
 * edge is within the recorded rank error of its exact rank, the report made from it says so, and
 * it decides drift as the exact profile does. Infinities count as missing, as in the heap.
 */
class SketchedProfileTest {

    static final int ROWS = 400_000;

    @TempDir
    static Path dir;

    static Dataset training;
    static Path source;
    static ReferenceProfile sketched;
    static ReferenceProfile exact;

    /** Normal with NaN and nulls, heavy-tailed (Cauchy), many ties, and a categorical column of 50,000 values. */
    static Dataset data(long seed, int rows, double shift) {
        Random r = new Random(seed);
        double[] normal = new double[rows];
        double[] cauchy = new double[rows];
        double[] ties = new double[rows];
        String[] customer = new String[rows];
        for (int i = 0; i < rows; i++) {
            normal[i] = r.nextInt(50) == 0 ? Double.NaN : r.nextGaussian() + shift;
            cauchy[i] = r.nextInt(1000) == 0 ? (r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY)
                    : Math.tan(Math.PI * (r.nextDouble() - 0.5)) + shift;
            ties[i] = r.nextInt(6);
            customer[i] = r.nextInt(40) == 0 ? null : "c" + r.nextInt(50_000);
        }
        return Dataset.builder().numeric("normal", normal).numeric("cauchy", cauchy).numeric("ties", ties)
                .categorical("customer", customer).build();
    }

    @BeforeAll
    static void profileBothWays() throws Exception {
        training = data(11, ROWS, 0);
        source = Files.createDirectories(dir.resolve("train"));
        // three part files: the scan reads them as one table
        int third = ROWS / 3;
        for (int p = 0; p < 3; p++) {
            int from = p * third;
            int to = p == 2 ? ROWS : from + third;
            slice(training, from, to).writeParquet(source.resolve("part-" + p + ".parquet"));
        }
        sketched = ParquetProfiles.profile(source, 10, 0, io.mlops.core.ProgressListener.NONE);
        exact = ParquetProfiles.profile(source, 10, Long.MAX_VALUE, io.mlops.core.ProgressListener.NONE);
    }

    @Test
    void recordsTheSketchRankErrorOfEachNumericColumn() {
        for (String c : List.of("normal", "cauchy", "ties")) {
            assertThat(sketched.rankError(c)).as(c).isGreaterThan(0).isLessThan(0.001);
            assertThat(exact.rankError(c)).as(c).isZero();
        }
        assertThat(sketched.rankError("customer")).isZero();
        ReferenceProfile read = ReferenceProfile.fromJson(sketched.toJson());
        assertThat(read.rankError("cauchy")).isEqualTo(sketched.rankError("cauchy"));
    }

    @Test
    void countsMeansDeviationsAndCategoriesAreExact() throws Exception {
        JsonNode s = Json.mapper().readTree(sketched.toJson());
        JsonNode e = Json.mapper().readTree(exact.toJson());
        assertThat(s.get("rowCount")).isEqualTo(e.get("rowCount"));
        for (int j = 0; j < e.get("columns").size(); j++) {
            JsonNode a = s.get("columns").get(j);
            JsonNode x = e.get("columns").get(j);
            String name = x.get("name").asText();
            assertThat(a.get("missing")).as(name).isEqualTo(x.get("missing"));
            if (x.has("counts")) {
                assertThat(a.get("counts")).as(name).isEqualTo(x.get("counts"));
                continue;
            }
            assertThat(a.get("count")).as(name).isEqualTo(x.get("count"));
            assertThat(a.get("mean").asDouble()).as(name).isCloseTo(x.get("mean").asDouble(), within(1e-9 * Math.max(1, Math.abs(x.get("mean").asDouble()))));
            assertThat(a.get("std").asDouble()).as(name).isCloseTo(x.get("std").asDouble(), within(1e-9 * x.get("std").asDouble()));
            double sum = 0;
            for (JsonNode p : a.get("proportions")) {
                sum += p.asDouble();
            }
            assertThat(sum).as(name + " proportions").isCloseTo(1.0, within(1e-9));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"normal", "cauchy", "ties"})
    void everyQuantilePointAndEdgeIsWithinTheRankError(String column) throws Exception {
        double[] sorted = Arrays.stream(training.numeric(column)).filter(Double::isFinite).sorted().toArray();
        int n = sorted.length;
        double slack = sketched.rankError(column) * n + 1;
        JsonNode node = column(Json.mapper().readTree(sketched.toJson()), column);
        double[] points = doubles(node.get("quantiles").asText());
        int k = (int) Math.min(n, (long) Math.ceil(16 * Math.sqrt(n)));
        assertThat(points).hasSize(k);
        for (int i = 1; i <= k; i++) {
            long target = ((long) i * n + k - 1) / k; // 1-based rank of the exact point
            assertWithinRank(sorted, points[i - 1], target, slack, column + " point " + i);
        }
        JsonNode edges = node.get("edges");
        JsonNode exactEdges = column(Json.mapper().readTree(exact.toJson()), column).get("edges");
        assertThat(edges.size()).as(column + " edges").isBetween(exactEdges.size() - 1, exactEdges.size() + 1);
        if (!column.equals("ties")) { // with ties, distinct edges collapse and their indices shift
            for (int i = 0; i < edges.size(); i++) {
                assertWithinRank(sorted, edges.get(i).asDouble(), (long) Math.ceil((i + 1) / 10.0 * n), slack, column + " edge " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"normal", "cauchy", "ties"})
    void binProportionsAreTheExactSharesOfTheSketchedEdges(String column) throws Exception {
        double[] sorted = Arrays.stream(training.numeric(column)).filter(Double::isFinite).sorted().toArray();
        JsonNode node = column(Json.mapper().readTree(sketched.toJson()), column);
        long previous = 0;
        for (int i = 0; i < node.get("edges").size(); i++) {
            long atOrBelow = upperBound(sorted, node.get("edges").get(i).asDouble());
            assertThat(node.get("proportions").get(i).asDouble()).as(column + " bin " + i)
                    .isEqualTo((atOrBelow - previous) / (double) sorted.length);
            previous = atOrBelow;
        }
        assertThat(node.get("missing").asLong()).isEqualTo(ROWS - sorted.length);
    }

    @Test
    void anInterruptStopsTheScanAndItsThreads() {
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ParquetProfiles.profile(source, 10, 0, (done, total) -> {
                if (done == 0) {
                    Thread.currentThread().interrupt();
                }
            })).isInstanceOf(io.mlops.core.MlopsException.class).hasMessageContaining("interrupted");
        } finally {
            Thread.interrupted();
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (sketchThreads() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        assertThat(sketchThreads()).as("sketching threads left running").isZero();
    }

    private static long sketchThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("mlops-profile-sketch")).count();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.03, 0.3})
    void decidesDriftAsTheExactProfileDoesAndSaysWhichStatisticsAreSketched(double shift) throws Exception {
        Dataset current = data(99, 20_000, shift);
        DriftReport fromSketch = DriftDetector.builder(sketched).build().detect(current);
        DriftReport fromExact = DriftDetector.builder(exact).build().detect(current);

        assertThat(fromSketch.driftedFeatures()).isEqualTo(fromExact.driftedFeatures());
        for (String c : List.of("normal", "cauchy", "ties")) {
            FeatureDrift.NumericStats a = (FeatureDrift.NumericStats) fromSketch.features().get(c).stats();
            FeatureDrift.NumericStats b = (FeatureDrift.NumericStats) fromExact.features().get(c).stats();
            double points = 1.0 / Math.ceil(16 * Math.sqrt(ROWS));
            assertThat(a.ksStatistic()).as(c + " KS").isCloseTo(b.ksStatistic(), within(sketched.rankError(c) + 2 * points));
        }
        assertThat(fromSketch.referenceRankErrors()).containsOnlyKeys("normal", "cauchy", "ties");
        assertThat(fromExact.referenceRankErrors()).isEmpty();
        JsonNode json = readTree(fromSketch.toJson()).get("reference_rank_errors");
        assertThat(json.get("normal").asDouble()).isEqualTo(sketched.rankError("normal"));
        assertThat(readTree(fromExact.toJson()).get("reference_rank_errors").size()).isZero();
        assertThat(fromSketch.toHtml()).contains("estimated by a sketch");
        assertThat(fromExact.toHtml()).doesNotContain("estimated by a sketch");
    }

    @Test
    void aSourceTheSketchHoldsWholeIsExactAndSaysSo() throws Exception {
        Path small = dir.resolve("small.parquet");
        slice(training, 0, 1_500).writeParquet(small);
        ReferenceProfile a = ParquetProfiles.profile(small, 10, 0, io.mlops.core.ProgressListener.NONE);
        ReferenceProfile b = ParquetProfiles.profile(small, 10, Long.MAX_VALUE, io.mlops.core.ProgressListener.NONE);
        for (String c : List.of("normal", "cauchy", "ties")) {
            assertThat(a.rankError(c)).as(c).isZero();
            assertThat(column(Json.mapper().readTree(a.toJson()), c).get("quantiles"))
                    .isEqualTo(column(Json.mapper().readTree(b.toJson()), c).get("quantiles"));
        }
    }

    @Test
    void progressCountsTheRowsRead() {
        List<long[]> heard = new ArrayList<>();
        ParquetProfiles.profile(source, 10, 0, (done, total) -> heard.add(new long[] {done, total}));
        assertThat(heard).isNotEmpty();
        assertThat(heard.get(heard.size() - 1)).containsExactly(ROWS, ROWS);
        for (int i = 1; i < heard.size(); i++) {
            assertThat(heard.get(i)[0]).isGreaterThanOrEqualTo(heard.get(i - 1)[0]);
        }
    }

    @Test
    void aBudgetBelowZeroIsRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> ParquetProfiles.profile(source, 10, -1, io.mlops.core.ProgressListener.NONE))
                .withMessageContaining("exactRows");
    }

    private static Dataset slice(Dataset d, int from, int to) {
        Dataset.Builder b = Dataset.builder();
        for (String c : d.columnNames()) {
            if (d.type(c) == io.mlops.core.ColumnType.NUMERIC) {
                b.numeric(c, Arrays.copyOfRange(d.numeric(c), from, to));
            } else {
                b.categorical(c, Arrays.copyOfRange(d.categorical(c), from, to));
            }
        }
        return b.build();
    }

    private static JsonNode column(JsonNode profile, String name) {
        for (JsonNode c : profile.get("columns")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no column " + name);
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
