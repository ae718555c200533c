package io.mlops.core.internal.io;

import io.mlops.core.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress is told from 0, about every MiB, and once at the end with done equal to total. */
class ProgressInputStreamTest {

    @TempDir
    Path dir;

    @Test
    void countsEveryByteAndEndsAtTheTotal() throws IOException {
        byte[] bytes = new byte[5 * 1024 * 1024 + 17];
        List<long[]> calls = new ArrayList<>();
        try (InputStream in = new ProgressInputStream(new ByteArrayInputStream(bytes), bytes.length,
                (done, total) -> calls.add(new long[] {done, total}))) {
            assertThat(in.read()).isZero();
            assertThat(in.skip(10)).isEqualTo(10);
            in.readAllBytes();
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(calls.get(0)).containsExactly(0, bytes.length);
        assertThat(calls.get(calls.size() - 1)).containsExactly(bytes.length, bytes.length);
        assertThat(calls).hasSizeBetween(6, 8); // 0, five MiB marks, the end (once, however often EOF is read)
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i)[0]).isGreaterThanOrEqualTo(calls.get(i - 1)[0]);
        }
    }

    @Test
    void readingACsvWithAListenerGivesTheSameDatasetAndReportsTheWholeFile() throws IOException {
        StringBuilder csv = new StringBuilder("x,colour\n");
        for (int i = 0; i < 200_000; i++) {
            csv.append(i * 0.5).append(',').append(i % 3 == 0 ? "red" : "blue").append('\n');
        }
        Path file = Files.writeString(dir.resolve("big.csv"), csv);
        long[] last = new long[2];
        Dataset withProgress = Dataset.readCsv(file, (done, total) -> {
            last[0] = done;
            last[1] = total;
        });
        assertThat(last).containsExactly(Files.size(file), Files.size(file));
        assertThat(withProgress.contentHash()).isEqualTo(Dataset.readCsv(file).contentHash());
    }
}
