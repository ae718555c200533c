package io.mlops.spark;

import io.mlops.core.ValidationException;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.FeatureDrift;
import io.mlops.drift.ReferenceProfile;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drift decided in Spark on 10 million generated rows a side flags the features the exact detector
 * flags on a collected 1-million-row sample of both sides, for clear shifts and for none; bad
 * current data is refused or reported as the detector reports it.
 */
class SparkDriftTest {

    static final long ROWS = 10_000_000L;

    static SparkSession spark;
    static Dataset<Row> reference;
    static ReferenceProfile profile;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("mlops-spark-drift-test");
        reference = rows(1, 0, 0);
        profile = SparkProfiles.profile(reference);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** Four features: normal (shifted by {@code shift} sd), uniform, six tied values, 50 categories (one more with {@code extra}). */
    static Dataset<Row> rows(long seed, double shift, double extra) {
        Column category = floor(rand(seed + 3).multiply(extra > 0 ? 51 : 50));
        return spark.range(0, ROWS, 1, 8).select(
                randn(seed).plus(lit(shift)).as("normal"),
                rand(seed + 1).multiply(10).as("uniform"),
                floor(rand(seed + 2).multiply(6)).cast("int").as("ties"),
                concat(lit("k"), category.cast("string")).as("segment"));
    }

    private static io.mlops.core.Dataset collectSample(Dataset<Row> frame, long seed) {
        List<Row> rows = frame.sample(false, 0.1, seed).collectAsList();
        int n = rows.size();
        double[] normal = new double[n];
        double[] uniform = new double[n];
        double[] ties = new double[n];
        String[] segment = new String[n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            normal[i] = r.getDouble(0);
            uniform[i] = r.getDouble(1);
            ties[i] = r.getInt(2);
            segment[i] = r.getString(3);
        }
        return io.mlops.core.Dataset.builder().numeric("normal", normal).numeric("uniform", uniform).numeric("ties", ties)
                .categorical("segment", segment).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "normal", "segment"})
    void flagsWhatTheExactDetectorFlagsOnAMillionRowSample(String shifted) {
        Dataset<Row> current = rows(100, shifted.equals("normal") ? 0.05 : 0, shifted.equals("segment") ? 1 : 0);

        DriftReport spark = SparkDrift.detect(profile, current);
        DriftReport exact = DriftDetector.builder(collectSample(reference, 7)).build().detect(collectSample(current, 8));

        assertThat(spark.referenceRows()).isEqualTo(ROWS);
        assertThat(spark.currentRows()).isEqualTo(ROWS);
        assertThat(spark.driftedFeatures()).as(spark.summary().toString()).isEqualTo(exact.driftedFeatures());
        assertThat(spark.driftedFeatures()).isEqualTo(shifted.equals("none") ? List.of() : List.of(shifted));
        assertThat(spark.referenceRankErrors()).containsOnlyKeys("normal", "uniform", "ties");
        assertThat(spark.currentRankErrors()).containsOnlyKeys("normal", "uniform", "ties");
    }

    @Test
    void aReferenceColumnOfAnotherTypeIsRefusedAndUnknownOnesAreLeftOut() {
        Dataset<Row> small = rows(5, 0, 0).limit(1_000);
        assertThatThrownBy(() -> SparkDrift.detect(profile, small.withColumn("normal", current_timestamp())))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'normal'");
        DriftReport report = SparkDrift.detect(profile, small.withColumn("seen", current_timestamp())
                .withColumn("note", lit("x")).drop("uniform").withColumn("ties", col("ties").cast("string")));
        assertThat(report.features().get("uniform").status()).isEqualTo(FeatureDrift.Status.MISSING);
        assertThat(report.features().get("ties").status()).as("a numeric column now text").isEqualTo(FeatureDrift.Status.MISSING);
        assertThat(report.newColumns()).containsExactly("note");
    }

    @Test
    void theBuilderCarriesTheDetectorsSettings() {
        Dataset<Row> current = rows(5, 0.5, 0).limit(20_000);
        SparkDrift drift = SparkDrift.builder(profile).target("normal").significance(0.01).build();
        DriftReport report = drift.detect(current);
        assertThat(report.targetDrift()).as("the shifted column is the target").hasValueSatisfying(t -> assertThat(t.driftDetected()).isTrue());
        assertThat(report.driftedFeatures()).as("a target is reported apart").isEmpty();
        assertThat(drift.detector().history()).containsExactly(report);
        assertThat(SparkDrift.detect(profile, current).driftedFeatures()).as("by default a feature").containsExactly("normal");
    }

    @Test
    void anEmptyCurrentIsRefused() {
        assertThatThrownBy(() -> SparkDrift.detect(profile, rows(5, 0, 0).limit(0))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("no rows");
    }
}
