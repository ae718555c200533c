package io.mlops.spark;

import io.mlops.core.ValidationException;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tables written by Spark become folder versions with lineage and come back into Spark verified;
 * the same table written again is the same version; temporary files do not outlive the commit.
 */
class SparkDataTest {

    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("mlops-spark-data-test");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Dataset<Row> events(long n) {
        return spark.range(0, n, 1, 3).select(col("id"), col("id").multiply(0.5).as("amount"),
                concat(lit("2026-12-0"), col("id").mod(3).plus(1).cast("string")).as("date"));
    }

    private static List<String> sorted(Dataset<Row> d) {
        return d.select("id", "amount", "date").orderBy("id").collectAsList().stream().map(Row::toString).toList();
    }

    @Test
    void aDataFrameIsCommittedWithLineageAndReadBackVerified() throws Exception {
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        DatasetVersion raw = SparkData.commit(data, "events", events(10_000)).description("raw").save();
        DatasetVersion clean = SparkData.commit(data, "events", events(10_000).filter("amount > 10")).parents(raw.id()).save();

        assertThat(raw.rowCount()).hasValue(10_000);
        assertThat(clean.rowCount()).hasValue(9_979);
        assertThat(data.lineage(clean.id())).extracting(DatasetVersion::id).containsExactly(clean.id(), raw.id());
        Dataset<Row> back = SparkData.read(spark, data, clean.id(), dir.resolve("checkout"));
        assertThat(sorted(back)).isEqualTo(sorted(events(10_000).filter("amount > 10")));
        try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("mlops-spark-commit-")).toList())
                    .as("temporary folders of saved commits").isEmpty();
        }
    }

    @Test
    void theSameTableWrittenAgainIsTheSameVersion() {
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        String first = SparkData.commit(data, "events", events(5_000)).save().id();
        String again = SparkData.commit(data, "events", events(5_000)).save().id();
        String other = SparkData.commit(data, "events", events(5_001)).save().id();
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void aPartitionedFolderIsCommittedAndReadWithItsPartitionColumn() {
        Path out = dir.resolve("spark-out");
        events(3_000).write().partitionBy("date").parquet(out.toUri().toString());
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        DatasetVersion v = SparkData.commit(data, "events", out).save();
        assertThat(SparkData.commit(data, "events", out.toUri().toString()).save().id()).as("the same folder as a file: URI")
                .isEqualTo(v.id());
        assertThat(SparkData.commit(data, "events", out.toString()).save().id()).isEqualTo(v.id());
        Dataset<Row> back = SparkData.read(spark, data, v.id(), dir.resolve("back"));
        assertThat(back.columns()).contains("date");
        assertThat(back.count()).isEqualTo(3_000);
        assertThat(back.filter("date = '2026-12-02'").count()).isEqualTo(1_000);
    }

    @Test
    void badInputIsRefusedClearly() {
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        assertThatThrownBy(() -> SparkData.commit(data, "events", dir.resolve("absent"))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("absent");
        assertThatThrownBy(() -> SparkData.commit(data, "events", "s3a://lake/events/")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("only local folders");
        String id = SparkData.commit(data, "events", events(10)).save().id();
        assertThatThrownBy(() -> SparkData.read(spark, data, id, dir)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("empty");
    }
}
