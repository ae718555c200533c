package io.mlops.spark;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlops.core.ColumnType;
import io.mlops.core.Json;
import io.mlops.core.ValidationException;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.ReferenceProfile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.mlops.core.testkit.SortedRanks.assertWithinRank;
import static io.mlops.core.testkit.SortedRanks.doubles;
import static io.mlops.core.testkit.SortedRanks.upperBound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A profile made by Spark in {@code local[2]} is the single JVM's profile of the same rows within
 * the documented sketch bounds, whatever the number of partitions: counts, missing and category
 * counts exact, means and deviations up to rounding, every quantile point and PSI edge within the
 * recorded rank error of its exact rank; and bad input is refused naming the column.
 */
class SparkProfilesTest {

    static final int ROWS = 200_000;

    static SparkSession spark;
    static List<Row> rows;
    static io.mlops.core.Dataset heap;
    static StructType schema;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("mlops-spark-test");
        schema = new StructType().add("normal", DataTypes.DoubleType).add("cauchy", DataTypes.DoubleType)
                .add("ties", DataTypes.IntegerType).add("customer", DataTypes.StringType).add("flag", DataTypes.BooleanType);
        Random r = new Random(5);
        rows = new ArrayList<>(ROWS);
        double[] normal = new double[ROWS];
        double[] cauchy = new double[ROWS];
        double[] ties = new double[ROWS];
        String[] customer = new String[ROWS];
        String[] flag = new String[ROWS];
        for (int i = 0; i < ROWS; i++) {
            Double n = r.nextInt(50) == 0 ? null : r.nextInt(100) == 0 ? Double.NaN : r.nextGaussian();
            double c = r.nextInt(1000) == 0 ? Double.NEGATIVE_INFINITY : Math.tan(Math.PI * (r.nextDouble() - 0.5));
            int t = r.nextInt(6);
            String k = r.nextInt(40) == 0 ? null : "c" + r.nextInt(100_000);
            Boolean f = r.nextInt(10) == 0 ? null : r.nextBoolean();
            rows.add(RowFactory.create(n, c, t, k, f));
            normal[i] = n == null ? Double.NaN : n;
            cauchy[i] = c;
            ties[i] = t;
            customer[i] = k;
            flag[i] = f == null ? null : f.toString();
        }
        heap = io.mlops.core.Dataset.builder().numeric("normal", normal).numeric("cauchy", cauchy).numeric("ties", ties)
                .categorical("customer", customer).categorical("flag", flag).build();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Dataset<Row> frame(int partitions) {
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 64})
    void isTheSingleMachineProfileWithinTheSketchBounds(int partitions) throws Exception {
        ReferenceProfile distributed = SparkProfiles.profile(frame(partitions));
        ReferenceProfile exact = ReferenceProfile.of(heap, 10);
        JsonNode d = Json.mapper().readTree(distributed.toJson());
        JsonNode e = Json.mapper().readTree(exact.toJson());

        assertThat(d.get("rowCount").asLong()).isEqualTo(ROWS);
        for (int j = 0; j < e.get("columns").size(); j++) {
            JsonNode a = d.get("columns").get(j);
            JsonNode x = e.get("columns").get(j);
            String name = x.get("name").asText();
            assertThat(a.get("name").asText()).isEqualTo(name);
            assertThat(a.get("type")).as(name).isEqualTo(x.get("type"));
            assertThat(a.get("missing")).as(name).isEqualTo(x.get("missing"));
            if (x.has("counts")) {
                assertThat(a.get("counts")).as(name).isEqualTo(x.get("counts"));
                continue;
            }
            assertThat(a.get("count")).as(name).isEqualTo(x.get("count"));
            assertThat(a.get("mean").asDouble()).as(name).isCloseTo(x.get("mean").asDouble(), within(1e-9 * Math.max(1, Math.abs(x.get("mean").asDouble()))));
            assertThat(a.get("std").asDouble()).as(name).isCloseTo(x.get("std").asDouble(), within(1e-9 * x.get("std").asDouble()));
            double[] sorted = Arrays.stream(heap.numeric(name)).filter(Double::isFinite).sorted().toArray();
            double error = distributed.rankError(name);
            assertThat(error).as(name).isGreaterThan(0).isLessThan(0.001);
            double slack = error * sorted.length + 1;
            double[] points = doubles(a.get("quantiles").asText());
            int k = points.length;
            assertThat(k).isEqualTo((int) Math.min(sorted.length, Math.ceil(16 * Math.sqrt(sorted.length))));
            for (int i = 1; i <= k; i++) {
                assertWithinRank(sorted, points[i - 1], ((long) i * sorted.length + k - 1) / k, slack, name + " point " + i);
            }
            double previous = 0;
            for (int i = 0; i < a.get("edges").size(); i++) {
                double share = upperBound(sorted, a.get("edges").get(i).asDouble()) / (double) sorted.length;
                assertThat(previous + a.get("proportions").get(i).asDouble()).as(name + " share at or below edge " + i)
                        .isCloseTo(share, within(error + 1e-9));
                previous += a.get("proportions").get(i).asDouble();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.3})
    void decidesDriftAsTheExactProfileDoes(double shift) {
        Random r = new Random(17);
        int m = 20_000;
        double[] normal = new double[m];
        double[] cauchy = new double[m];
        double[] ties = new double[m];
        String[] customer = new String[m];
        String[] flag = new String[m];
        for (int i = 0; i < m; i++) {
            normal[i] = r.nextGaussian() + shift;
            cauchy[i] = Math.tan(Math.PI * (r.nextDouble() - 0.5)) + shift;
            ties[i] = r.nextInt(shift > 0 ? 5 : 6);
            customer[i] = "c" + r.nextInt(100_000);
            flag[i] = Boolean.toString(r.nextBoolean());
        }
        io.mlops.core.Dataset current = io.mlops.core.Dataset.builder().numeric("normal", normal).numeric("cauchy", cauchy)
                .numeric("ties", ties).categorical("customer", customer).categorical("flag", flag).build();
        DriftReport fromSpark = DriftDetector.builder(SparkProfiles.profile(frame(7))).build().detect(current);
        DriftReport fromHeap = DriftDetector.builder(ReferenceProfile.of(heap, 10)).build().detect(current);
        assertThat(fromSpark.driftedFeatures()).isEqualTo(fromHeap.driftedFeatures());
        if (shift > 0) {
            assertThat(fromSpark.driftedFeatures()).contains("normal", "cauchy", "ties");
        }
        assertThat(fromSpark.referenceRankErrors()).containsOnlyKeys("normal", "cauchy", "ties");
    }

    @Test
    void ignoredColumnsAreLeftOutAndMustExist() {
        ReferenceProfile p = SparkProfiles.profile(frame(2), 10, "customer");
        assertThat(p.columns()).containsExactly("normal", "cauchy", "ties", "flag");
        assertThat(p.type("flag")).isEqualTo(ColumnType.CATEGORICAL);
        assertThatThrownBy(() -> SparkProfiles.profile(frame(2), 10, "nope")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("[nope]");
    }

    @Test
    void aColumnOfAnotherTypeIsRefusedNamingIt() {
        Dataset<Row> withTime = frame(2).withColumn("seen at", org.apache.spark.sql.functions.current_timestamp());
        assertThatThrownBy(() -> SparkProfiles.profile(withTime)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("'seen at'").hasMessageContaining("timestamp");
        assertThat(SparkProfiles.profile(withTime, 10, "seen at").columns()).hasSize(5);
    }

    @Test
    void anEmptyDataFrameIsRefused() {
        assertThatThrownBy(() -> SparkProfiles.profile(frame(3).limit(0))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("no rows");
        assertThatThrownBy(() -> SparkProfiles.profile(spark.createDataFrame(List.of(), schema)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("no rows");
    }

    @Test
    void aLongBeyondTwoToThe53IsRefusedNamingTheColumn() {
        StructType ids = new StructType().add("id", DataTypes.LongType);
        Dataset<Row> big = spark.createDataFrame(List.of(RowFactory.create(1L), RowFactory.create((1L << 53) + 1)), ids);
        assertThatThrownBy(() -> SparkProfiles.profile(big)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("'id'").hasMessageContaining("2^53");
    }
}
