package io.mlops.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Dataset.readCsv(csv, rows, chunks, progress)}: the chunks, concatenated, are the dataset
 * {@code readCsv(csv)} gives, whatever the chunk size — types decided over the whole file (a column
 * that turns to text after many numbers, or after missing cells only, is categorical in every chunk).
 */
class CsvChunksTest {

    @TempDir
    Path dir;

    /** Numbers in every accepted spelling, a column that turns to text late, one empty, one all missing at first. */
    private Path csv(long seed, int rows) throws Exception {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("x,late text,sparse,label,empty\n");
        String[] spellings = {"1e-3", " 12 ", "-0.5", "inf", "-Infinity", "NaN", ""};
        for (int i = 0; i < rows; i++) {
            b.append(r.nextInt(10) == 0 ? spellings[r.nextInt(spellings.length)] : Double.toString(r.nextGaussian())).append(',');
            b.append(i == rows - 3 ? "\"late, quoted\"" : Integer.toString(r.nextInt(100))).append(',');
            b.append(i < rows / 2 ? "" : r.nextBoolean() ? "a" : "").append(',');
            b.append(r.nextBoolean() ? "yes" : "no").append(',');
            b.append('\n');
        }
        Path file = dir.resolve("data-" + seed + ".csv");
        Files.writeString(file, b, StandardCharsets.UTF_8);
        return file;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1000, 4999, 5000, 100_000})
    void theChunksConcatenatedAreTheWholeFile(int rows) throws Exception {
        Path file = csv(rows, 5000);
        Dataset whole = Dataset.readCsv(file);
        List<Dataset> chunks = new ArrayList<>();
        Dataset.readCsv(file, rows, chunks::add, ProgressListener.NONE);

        assertThat(chunks).hasSize((5000 + rows - 1) / rows);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.schema()).isEqualTo(whole.schema());
            assertThat(c.rowCount()).isLessThanOrEqualTo(rows);
        });
        assertThat(whole.type("late text")).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(whole.type("sparse")).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(concatenate(chunks).contentHash()).isEqualTo(whole.contentHash());
    }

    @Test
    void aHeaderAloneIsOneChunkOfNoRows() throws Exception {
        Path file = dir.resolve("header.csv");
        Files.writeString(file, "a,b\n");
        List<Dataset> chunks = new ArrayList<>();
        Dataset.readCsv(file, 10, chunks::add, ProgressListener.NONE);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).rowCount()).isZero();
        assertThat(chunks.get(0).columnNames()).containsExactly("a", "b");
    }

    @Test
    void badInputIsRefusedAsByReadCsv() throws Exception {
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "a,b\n1,2\n3\n");
        assertThatThrownBy(() -> Dataset.readCsv(ragged, 10, d -> { }, ProgressListener.NONE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("line 3");
        assertThatThrownBy(() -> Dataset.readCsv(dir.resolve("absent.csv"), 10, d -> { }, ProgressListener.NONE))
                .isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> Dataset.readCsv(ragged, 0, d -> { }, ProgressListener.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void progressHearsBothPasses() throws Exception {
        Path file = csv(3, 2000);
        long size = Files.size(file);
        List<Long> done = new ArrayList<>();
        Dataset.readCsv(file, 500, d -> { }, (d, total) -> {
            assertThat(total).isEqualTo(size);
            done.add(d);
        });
        assertThat(done.stream().filter(d -> d == size).count()).isGreaterThanOrEqualTo(2);
    }

    private static Dataset concatenate(List<Dataset> chunks) {
        Dataset first = chunks.get(0);
        Dataset.Builder b = Dataset.builder();
        for (String c : first.columnNames()) {
            if (first.type(c) == ColumnType.NUMERIC) {
                double[] all = new double[0];
                for (Dataset d : chunks) {
                    double[] v = d.numeric(c);
                    int at = all.length;
                    all = Arrays.copyOf(all, at + v.length);
                    System.arraycopy(v, 0, all, at, v.length);
                }
                b.numeric(c, all);
            } else {
                List<String> all = new ArrayList<>();
                for (Dataset d : chunks) {
                    all.addAll(Arrays.asList(d.categorical(c)));
                }
                b.categorical(c, all.toArray(new String[0]));
            }
        }
        return b.build();
    }
}
