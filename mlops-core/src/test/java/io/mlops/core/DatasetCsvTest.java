package io.mlops.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetCsvTest {

    @TempDir
    Path dir;

    @Test
    void roundTripGivesBackExactlyTheSameDoubles() {
        Random random = new Random(20261126);
        int n = 10_000;
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            switch (i % 5) {
                case 0:
                    values[i] = random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
                    break;
                case 1:
                    values[i] = Double.longBitsToDouble(random.nextLong()); // any bit pattern
                    break;
                case 2:
                    values[i] = random.nextDouble();
                    break;
                case 3:
                    values[i] = random.nextInt(1000) - 500;
                    break;
                default:
                    values[i] = random.nextFloat();
            }
        }
        double[] specials = {-0.0, 0.0, 1e-300, 1.7976931348623157E308, Double.MIN_VALUE, -Double.MAX_VALUE,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1, 1.0 / 3, 2.2250738585072014E-308};
        System.arraycopy(specials, 0, values, 0, specials.length);
        Dataset original = Dataset.builder().numeric("x", values).build();
        Path csv = dir.resolve("round.csv");

        original.writeCsv(csv);
        Dataset back = Dataset.readCsv(csv);

        double[] read = back.numeric("x");
        for (int i = 0; i < n; i++) {
            // bit-exact, except that every NaN is read back as the one canonical NaN
            assertThat(Double.doubleToLongBits(read[i])).as("row %d: %s", i, values[i])
                    .isEqualTo(Double.doubleToLongBits(values[i]));
        }
        assertThat(back.contentHash()).isEqualTo(original.contentHash());
    }

    @Test
    void writesShortestNumbersAndEmptyCellsForMissingValues() throws Exception {
        Dataset d = Dataset.builder()
                .numeric("x", new double[] {0.1, 1, Double.NaN, -0.0, 1e21, Double.NEGATIVE_INFINITY})
                .categorical("c", new String[] {"plain", "with,comma", null, "with \"quote\"", "line\nbreak", "é"})
                .build();
        Path csv = dir.resolve("out.csv");

        d.writeCsv(csv);

        assertThat(Files.readString(csv, StandardCharsets.UTF_8)).isEqualTo("x,c\n"
                + "0.1,plain\n"
                + "1.0,\"with,comma\"\n"
                + ",\n"
                + "-0.0,\"with \"\"quote\"\"\"\n"
                + "1.0E21,\"line\nbreak\"\n"
                + "-Infinity,é\n");
        assertThat(Dataset.readCsv(csv)).isEqualTo(d);
    }

    @Test
    void infersNumericOnlyWhenEveryNonEmptyCellIsANumber() throws Exception {
        Path csv = dir.resolve("types.csv");
        Files.writeString(csv, "a,b,c,d,e\n"
                + "1, 2 ,x,,NaN\n"
                + "-3.5e2,+.5,1,,inf\n"
                + ",1e-3,2,,-Infinity\n");

        Dataset d = Dataset.readCsv(csv);

        assertThat(d.schema().columns()).extracting(Schema.Column::type).containsExactly(
                ColumnType.NUMERIC, ColumnType.NUMERIC, ColumnType.CATEGORICAL, ColumnType.NUMERIC, ColumnType.NUMERIC);
        assertThat(d.numeric("a")).containsExactly(1, -350, Double.NaN);
        assertThat(d.numeric("b")).containsExactly(2, 0.5, 0.001);
        assertThat(d.categorical("c")).containsExactly("x", "1", "2");
        assertThat(d.numeric("d")).containsExactly(Double.NaN, Double.NaN, Double.NaN);
        assertThat(d.numeric("e")).containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1d", "0x1p3", "1f", "1.2.3", "1e", "e5", ".", "-", "1,5", "1_000", "--1", "infinite"})
    void javaOnlyOrMalformedNumbersMakeTheColumnCategorical(String cell) throws Exception {
        Path csv = dir.resolve("strict.csv");
        Files.writeString(csv, "v\n1\n\"" + cell + "\"\n");
        Dataset d = Dataset.readCsv(csv);
        assertThat(d.type("v")).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(d.categorical("v")).containsExactly("1", cell);
    }

    @Test
    void aColumnThatTurnsCategoricalLateKeepsTheOriginalTextOfEarlierCells() throws Exception {
        Path csv = dir.resolve("ids.csv");
        StringBuilder sb = new StringBuilder("id,value\n");
        for (int i = 0; i < 5000; i++) {
            sb.append(String.format("%04d", i)).append(',').append(i * 0.25).append('\n');
        }
        sb.append("A17,1\n");
        Files.writeString(csv, sb.toString());

        Dataset d = Dataset.readCsv(csv);

        assertThat(d.type("id")).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(d.categorical("id")[0]).isEqualTo("0000");
        assertThat(d.categorical("id")[4999]).isEqualTo("4999");
        assertThat(d.categorical("id")[5000]).isEqualTo("A17");
        assertThat(d.numeric("value")[4]).isEqualTo(1.0);
    }

    @Test
    void leadingMissingCellsStayMissingWhenAColumnTurnsCategorical() throws Exception {
        Path csv = dir.resolve("late.csv");
        Files.writeString(csv, "c\n\n\nred\n");
        Dataset d = Dataset.readCsv(csv);
        assertThat(d.categorical("c")).containsExactly(null, null, "red");
    }

    @Test
    void schemaForcesTypesAndRejectsTextInNumericColumnsWithTheLine() throws Exception {
        Path csv = dir.resolve("typed.csv");
        Files.writeString(csv, "code,amount\n1,10\n2,x\n");
        Schema schema = new Schema(List.of(new Schema.Column("code", ColumnType.CATEGORICAL),
                new Schema.Column("amount", ColumnType.NUMERIC)));

        assertThatThrownBy(() -> Dataset.readCsv(csv, schema))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(csv.toString())
                .hasMessageContaining("line 3, column 'amount': 'x' is not a number");

        Files.writeString(csv, "code,amount\n1,10\n2,20\n");
        Dataset d = Dataset.readCsv(csv, schema);
        assertThat(d.categorical("code")).containsExactly("1", "2");
        assertThat(d.numeric("amount")).containsExactly(10, 20);

        Schema other = new Schema(List.of(new Schema.Column("amount", ColumnType.NUMERIC)));
        assertThatThrownBy(() -> Dataset.readCsv(csv, other))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("has columns [code, amount] but the schema expects [amount]");
    }

    @Test
    void readsAStreamWithAKnownSchemaInOnePassWithoutClosingIt() throws Exception {
        Schema schema = new Schema(List.of(new Schema.Column("id", ColumnType.CATEGORICAL),
                new Schema.Column("x", ColumnType.NUMERIC)));
        boolean[] closed = {false};
        java.io.InputStream in = new java.io.ByteArrayInputStream("id,x\n007,1.5\n008,\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        Dataset d = Dataset.readCsv(in, "stream", schema);
        assertThat(d.categorical("id")).containsExactly("007", "008");
        assertThat(d.numeric("x")).containsExactly(1.5, Double.NaN);
        assertThat(closed[0]).isFalse();
        assertThatThrownBy(() -> Dataset.readCsv(new java.io.ByteArrayInputStream("id,x\na,b\n".getBytes(StandardCharsets.UTF_8)),
                "stream", schema)).isInstanceOf(ValidationException.class).hasMessageContaining("stream: line 2, column 'x'");
    }

    @Test
    void wrongFieldCountFailsWithTheLineNumber() throws Exception {
        Path csv = dir.resolve("ragged.csv");
        Files.writeString(csv, "a,b\n1,2\n3,4\n\"multi\nline\",5\n6\n");

        assertThatThrownBy(() -> Dataset.readCsv(csv))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Malformed CSV file " + csv + ": line 6 has 1 field(s) but the header has 2");
    }

    @Test
    void headerProblemsAreReported() throws Exception {
        Path csv = dir.resolve("header.csv");
        Files.writeString(csv, "a,a\n1,2\n");
        assertThatThrownBy(() -> Dataset.readCsv(csv)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("line 1 (header) names column 'a' twice");
        Files.writeString(csv, "a,\n1,2\n");
        assertThatThrownBy(() -> Dataset.readCsv(csv)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("line 1 (header), column 2");
        Files.writeString(csv, "");
        assertThatThrownBy(() -> Dataset.readCsv(csv)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("is empty: expected a header line");
        assertThatThrownBy(() -> Dataset.readCsv(dir.resolve("nope.csv"))).isInstanceOf(StorageException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void unclosedQuoteIsMalformed() throws Exception {
        Path csv = dir.resolve("quote.csv");
        Files.writeString(csv, "a,b\n1,\"open\n");
        assertThatThrownBy(() -> Dataset.readCsv(csv)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("Malformed CSV file " + csv).hasMessageContaining("line 2");
    }

    @Test
    void charactersAfterAClosingQuoteAreMalformed() throws Exception {
        Path csv = dir.resolve("after-quote.csv");
        Files.writeString(csv, "a,b\n\"x\"y,1\n");
        assertThatThrownBy(() -> Dataset.readCsv(csv)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("Malformed CSV file " + csv);
    }

    @Test
    void crlfLineEndingsAndAByteOrderMarkAreAccepted() throws Exception {
        Path csv = dir.resolve("windows.csv");
        Files.write(csv, ("\uFEFFx,c\r\n1,a\r\n2,b\r\n").getBytes(StandardCharsets.UTF_8));
        Dataset d = Dataset.readCsv(csv);
        assertThat(d.columnNames()).containsExactly("x", "c");
        assertThat(d.numeric("x")).containsExactly(1, 2);
        assertThat(d.categorical("c")).containsExactly("a", "b");
    }

    @Test
    void singleColumnWithMissingValuesRoundTrips() {
        Dataset d = Dataset.builder().numeric("x", new double[] {1, Double.NaN, Double.NaN, 2}).build();
        Path csv = dir.resolve("single.csv");
        d.writeCsv(csv);
        assertThat(Dataset.readCsv(csv)).isEqualTo(d);
        Dataset trailing = Dataset.builder().numeric("x", new double[] {1, Double.NaN}).build();
        trailing.writeCsv(csv);
        assertThat(Dataset.readCsv(csv).numeric("x")).containsExactly(1, Double.NaN);
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTempFiles() throws Exception {
        Path csv = dir.resolve("data.csv");
        Dataset.builder().numeric("x", new double[] {1}).build().writeCsv(csv);
        Dataset.builder().numeric("y", new double[] {2}).build().writeCsv(csv);
        assertThat(Dataset.readCsv(csv).columnNames()).containsExactly("y");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("data.csv");
        }
    }
}
