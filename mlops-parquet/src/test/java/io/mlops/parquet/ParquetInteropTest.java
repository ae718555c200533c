package io.mlops.parquet;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files interoperate with an independent implementation, both ways: parquet-java (the Apache
 * reference implementation, not DuckDB) writes files with nulls, dictionary pages, several row
 * groups, snappy or zstd, and every value reads back here; files written here read back in
 * parquet-java with the same values.
 */
class ParquetInteropTest {

    @TempDir
    Path dir;

    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message m {"
            + " optional double d; optional float f; optional int32 i; optional int64 l; optional boolean b;"
            + " optional binary s (STRING); required binary city (STRING); }");

    private static final String[] CITIES = {"Lisbon", "Zürich", "東京", "O'Hare \"x\"", "a,b"};

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"SNAPPY", "ZSTD", "UNCOMPRESSED"})
    void filesParquetJavaWroteReadBackWithTheirValues(CompressionCodecName codec) throws Exception {
        Path file = dir.resolve("pj.parquet");
        int rows = 20_000;
        Random r = new Random(27);
        double[] d = new double[rows];
        float[] f = new float[rows];
        int[] ints = new int[rows];
        long[] longs = new long[rows];
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        ParquetJava.write(file, SCHEMA, codec, 64 * 1024, out -> {
            for (int k = 0; k < rows; k++) {
                Group g = groups.newGroup();
                d[k] = r.nextGaussian() * 1e3;
                f[k] = (float) r.nextGaussian();
                ints[k] = r.nextInt();
                longs[k] = r.nextLong() >> 12; // within 2^53
                if (k % 7 != 0) {
                    g.append("d", d[k]);
                }
                if (k % 11 != 0) {
                    g.append("f", f[k]);
                }
                g.append("i", ints[k]);
                g.append("l", longs[k]);
                if (k % 5 != 0) {
                    g.append("b", k % 2 == 0);
                }
                if (k % 3 != 0) {
                    g.append("s", "cat" + (k % 4));
                }
                g.append("city", CITIES[k % CITIES.length]);
                out.accept(g);
            }
        });
        assertThat(ParquetJava.rowGroups(file)).as("several row groups").isGreaterThan(1);

        Dataset data = Dataset.readParquet(file);

        assertThat(data.rowCount()).isEqualTo(rows);
        assertThat(data.columnNames()).containsExactly("d", "f", "i", "l", "b", "s", "city");
        assertThat(data.type("b")).isEqualTo(ColumnType.CATEGORICAL);
        double[] dd = data.numeric("d");
        double[] ff = data.numeric("f");
        double[] ii = data.numeric("i");
        double[] ll = data.numeric("l");
        String[] bb = data.categorical("b");
        String[] ss = data.categorical("s");
        String[] cc = data.categorical("city");
        for (int k = 0; k < rows; k++) {
            same(dd[k], k % 7 != 0 ? d[k] : Double.NaN, k);
            same(ff[k], k % 11 != 0 ? (double) f[k] : Double.NaN, k);
            same(ii[k], ints[k], k);
            same(ll[k], (double) longs[k], k);
            assertThat(bb[k]).isEqualTo(k % 5 != 0 ? String.valueOf(k % 2 == 0) : null);
            assertThat(ss[k]).isEqualTo(k % 3 != 0 ? "cat" + (k % 4) : null);
            assertThat(cc[k]).isEqualTo(CITIES[k % CITIES.length]);
        }
    }

    private static void same(double actual, double expected, int row) {
        assertThat(Double.compare(actual, expected)).as("row %d: %s, expected %s", row, actual, expected).isZero();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void filesWrittenHereReadBackInParquetJavaWithTheirValues(Compression compression) throws Exception {
        int rows = 300_000; // more than two row groups of 122,880
        Random r = new Random(2027);
        double[] x = new double[rows];
        String[] s = new String[rows];
        for (int k = 0; k < rows; k++) {
            x[k] = k % 13 == 0 ? Double.NaN : r.nextGaussian();
            s[k] = k % 17 == 0 ? null : k % 19 == 0 ? "" : CITIES[r.nextInt(CITIES.length)];
        }
        x[1] = -0.0;
        x[2] = Double.MAX_VALUE;
        x[3] = Double.MIN_VALUE;
        x[4] = Double.NEGATIVE_INFINITY;
        Dataset data = Dataset.builder().numeric("x", x).categorical("s", s).build();
        Path file = dir.resolve("ours.parquet");

        Parquet.write(data, file, compression);

        assertThat(ParquetJava.rowGroups(file)).isGreaterThan(1);
        List<Group> read = ParquetJava.read(file);
        assertThat(read).hasSize(rows);
        for (int k = 0; k < rows; k++) {
            Group g = read.get(k);
            if (Double.isNaN(x[k])) {
                assertThat(g.getFieldRepetitionCount("x")).as("row %d: NaN is written as null", k).isZero();
            } else {
                assertThat(Double.doubleToRawLongBits(g.getDouble("x", 0))).as("row %d", k).isEqualTo(Double.doubleToRawLongBits(x[k]));
            }
            if (s[k] == null) {
                assertThat(g.getFieldRepetitionCount("s")).isZero();
            } else {
                assertThat(g.getString("s", 0)).isEqualTo(s[k]);
            }
        }
        // and back here, whole: the empty string stays distinct from missing (unlike CSV)
        Dataset back = Dataset.readParquet(file);
        assertThat(back).isEqualTo(data);
        assertThat(back.contentHash()).isEqualTo(data.contentHash());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void emptyAndOneRowDatasetsRoundTrip(int rows) {
        Dataset data = Dataset.builder().numeric("x", new double[rows]).categorical("s", new String[rows]).build();
        Path file = dir.resolve("small.parquet");
        data.writeParquet(file);
        assertThat(Dataset.readParquet(file)).isEqualTo(data);
    }

    @Test
    void aFileIsReplacedWholeAndNoTemporaryFileIsLeft() throws Exception {
        Path file = dir.resolve("x.parquet");
        Dataset one = Dataset.builder().numeric("a", new double[] {1, 2}).build();
        Dataset two = Dataset.builder().numeric("a", new double[] {3}).build();
        one.writeParquet(file);
        two.writeParquet(file);
        assertThat(Dataset.readParquet(file)).isEqualTo(two);
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("x.parquet");
        }
    }
}
