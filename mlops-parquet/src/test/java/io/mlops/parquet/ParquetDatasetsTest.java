package io.mlops.parquet;

import io.mlops.core.Dataset;
import io.mlops.core.ValidationException;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;
import io.mlops.data.spi.DatasetFormat;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parquet as a dataset format: the same data has the same identity and the same drift report
 * whether it came from CSV or Parquet; data versioning stores versions as Parquet; folders of part
 * files with partition folders read as one table; bad input is refused naming the file and the
 * column, leaving nothing behind.
 */
class ParquetDatasetsTest {

    @TempDir
    Path dir;

    /** A CSV with integers, decimals, missing cells, text and booleans, as a user would have it. */
    private Path csv(int rows, long seed) throws Exception {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("age,income,score,city,member\n");
        String[] cities = {"Lisbon", "Porto", "Faro"};
        for (int i = 0; i < rows; i++) {
            b.append(18 + r.nextInt(60)).append(',')
                    .append(i % 9 == 0 ? "" : String.valueOf(Math.round(r.nextGaussian() * 1e6) / 100.0)).append(',')
                    .append(r.nextDouble()).append(',')
                    .append(i % 13 == 0 ? "" : cities[r.nextInt(3)]).append(',')
                    .append(r.nextBoolean()).append('\n');
        }
        Path file = dir.resolve("data-" + seed + ".csv");
        Files.writeString(file, b, StandardCharsets.UTF_8);
        return file;
    }

    /** Converts a CSV to Parquet with DuckDB's own reader and writer, as a user's pipeline would (integers stay integers). */
    private Path duckConvert(Path csv, String compression) throws Exception {
        Path out = dir.resolve(csv.getFileName() + "." + compression + ".parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_csv('" + csv + "', header = true, types = {'age': 'INTEGER', 'income': 'DECIMAL(18,2)',"
                    + " 'score': 'DOUBLE', 'city': 'VARCHAR', 'member': 'BOOLEAN'})) TO '" + out + "' (FORMAT parquet, COMPRESSION "
                    + compression + ")");
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "snappy"})
    void theSameDataFromCsvAndParquetHasTheSameIdentityAndDriftReport(String compression) throws Exception {
        Path csv = csv(5_000, 1);
        Path parquet = duckConvert(csv, compression);

        Dataset fromCsv = Dataset.readCsv(csv);
        Dataset fromParquet = Dataset.readParquet(parquet);

        assertThat(fromParquet.schema()).isEqualTo(fromCsv.schema());
        assertThat(fromParquet.contentHash()).isEqualTo(fromCsv.contentHash());
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        DatasetVersion a = data.commit("events", fromCsv).save();
        DatasetVersion b = data.commit("events", fromParquet).save();
        assertThat(b.id()).isEqualTo(a.id());

        Dataset current = Dataset.readCsv(csv(3_000, 2));
        Dataset currentParquet = Dataset.readParquet(duckConvert(csv(3_000, 2), compression));
        DriftReport one = DriftDetector.builder(fromCsv).build().detect(current);
        DriftReport two = DriftDetector.builder(fromParquet).build().detect(currentParquet);
        assertThat(two.features()).isEqualTo(one.features());
        assertThat(two.driftShare()).isEqualTo(one.driftShare());
    }

    @Test
    void versionsStoredAsParquetLoadBackAndAreReadByAnyRepositoryWithTheModule() throws Exception {
        Dataset d = Dataset.readCsv(csv(2_000, 3));
        Path root = dir.resolve("repo");
        DataVersioning parquetRepo = DataVersioning.builder().fileSystem(root).format(DatasetFormat.parquet()).build();
        DatasetVersion v = parquetRepo.commit("train", d).save();

        assertThat(parquetRepo.load(v.id())).isEqualTo(d);
        // a repository built with the default (CSV) format finds the Parquet reader on the class path
        assertThat(DataVersioning.fileSystem(root).load(v.id())).isEqualTo(d);
        assertThat(parquetRepo.verify()).isEmpty();
        // zstd is smaller than the CSV of the same data
        DataVersioning csvRepo = DataVersioning.fileSystem(dir.resolve("csv-repo"));
        csvRepo.commit("train", d).save();
        assertThat(folderBytes(root.resolve("blobs"))).isLessThan(folderBytes(dir.resolve("csv-repo").resolve("blobs")));
    }

    private static long folderBytes(Path folder) throws Exception {
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void aFolderOfPartFilesWithPartitionFoldersReadsAsOneTable() throws Exception {
        Path table = dir.resolve("events");
        Dataset day1 = Dataset.builder().numeric("x", new double[] {1, 2}).categorical("s", new String[] {"a", null}).build();
        Dataset day2 = Dataset.builder().numeric("x", new double[] {3}).categorical("s", new String[] {"b"}).build();
        day2.writeParquet(table.resolve("date=2026-12-02").resolve("part-0.parquet"));
        day1.writeParquet(table.resolve("date=2026-12-01").resolve("part-0.parquet"));
        Files.writeString(table.resolve("_SUCCESS"), "");

        Dataset all = Dataset.readParquet(table);

        assertThat(all.columnNames()).containsExactly("x", "s", "date");
        assertThat(all.numeric("x")).containsExactly(1, 2, 3);
        assertThat(all.categorical("date")).containsExactly("2026-12-01", "2026-12-01", "2026-12-02");
    }

    @Test
    void notParquetAndATruncatedFooterAreRefusedNamingTheFile() throws Exception {
        Path text = dir.resolve("notes.parquet");
        Files.writeString(text, "this is not parquet, although its name says so");
        assertThatThrownBy(() -> Dataset.readParquet(text))
                .isInstanceOf(ValidationException.class).hasMessageContaining(text.toString());

        Path good = dir.resolve("good.parquet");
        Dataset.builder().numeric("x", new double[] {1, 2, 3}).build().writeParquet(good);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.parquet");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 9));
        assertThatThrownBy(() -> Dataset.readParquet(truncated))
                .isInstanceOf(ValidationException.class).hasMessageContaining(truncated.toString());
        assertThatThrownBy(() -> Dataset.readParquet(dir.resolve("missing.parquet")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("missing.parquet");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> Dataset.readParquet(empty))
                .isInstanceOf(ValidationException.class).hasMessageContaining("holds no .parquet file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TIMESTAMP '2026-12-01 10:00:00' AS ts", "[1, 2] AS ts", "{'a': 1} AS ts", "DATE '2026-12-01' AS ts",
        "'\\x00'::BLOB AS ts"})
    void anUnsupportedOrNestedColumnIsRefusedNamingIt(String column) throws Exception {
        Path file = dir.resolve("typed.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT 1.5 AS ok, " + column + ") TO '" + file + "' (FORMAT parquet)");
        }
        assertThatThrownBy(() -> Dataset.readParquet(file))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Column 'ts'")
                .hasMessageContaining(file.toString());
    }

    @Test
    void integersADoubleCannotHoldExactlyAreRefusedNamingTheColumn() throws Exception {
        Path file = dir.resolve("big.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM (VALUES (1::BIGINT, 9007199254740992::BIGINT), (2, 9007199254740993)) v(small, id))"
                    + " TO '" + file + "' (FORMAT parquet)");
        }
        assertThatThrownBy(() -> Dataset.readParquet(file))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Column 'id'")
                .hasMessageContaining("9007199254740993");
    }

    @Test
    void partFilesOfDifferentSchemasAreRefused() throws Exception {
        Path table = dir.resolve("mixed");
        Dataset.builder().numeric("x", new double[] {1}).build().writeParquet(table.resolve("part-0.parquet"));
        Dataset.builder().categorical("y", new String[] {"a"}).build().writeParquet(table.resolve("part-1.parquet"));
        assertThatThrownBy(() -> Dataset.readParquet(table))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(table.toString());
    }

    @Test
    void aFailedWriteLeavesNothingBehind() throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        Dataset d = Dataset.builder().numeric("x", new double[] {1}).build();
        assertThatThrownBy(() -> d.writeParquet(blocker.resolve("sub").resolve("d.parquet")))
                .isInstanceOf(io.mlops.core.StorageException.class);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("file");
        }
    }
}
