package io.mlops.spark.internal;

import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * The bytes partitions send the driver: they round-trip, merge like the rows they summarise, and a
 * truncated, damaged or oversized summary is refused with an {@link IllegalArgumentException}
 * rather than read past its end or allocated to a forged length.
 */
class ColumnSummariesTest {

    private static ColumnSummaries summary(long seed, int rows) {
        ColumnSummaries s = new ColumnSummaries(new String[] {"x", "k"}, new boolean[] {true, false});
        Random r = new Random(seed);
        for (int i = 0; i < rows; i++) {
            s.add(RowFactory.create(r.nextInt(20) == 0 ? null : r.nextGaussian(), "c" + r.nextInt(50)));
        }
        return s;
    }

    @Test
    void roundTripsAndMergesLikeTheRows() {
        ColumnSummaries a = summary(1, 30_000);
        ColumnSummaries b = summary(2, 20_000);
        ColumnSummaries back = ColumnSummaries.decode(ColumnSummaries.merge(a.encode(), b.encode()));
        assertThat(back.rows).isEqualTo(50_000);
        assertThat(back.missing[0]).isEqualTo(a.missing[0] + b.missing[0]);
        assertThat(back.count[0]).isEqualTo(a.count[0] + b.count[0]);
        double mean = (a.mean[0] * a.count[0] + b.mean[0] * b.count[0]) / (a.count[0] + b.count[0]);
        assertThat(back.mean[0]).isCloseTo(mean, within(1e-12));
        assertThat(back.sketches[0].getN()).isEqualTo(back.count[0]);
        assertThat(back.categories[1].values().stream().mapToLong(Long::longValue).sum()).isEqualTo(50_000);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 7, 20, 100, 1000})
    void aTruncatedSummaryIsRefused(int keep) {
        byte[] whole = summary(3, 5_000).encode();
        byte[] cut = Arrays.copyOf(whole, Math.min(keep, whole.length - 1));
        assertThatIllegalArgumentException().isThrownBy(() -> ColumnSummaries.decode(cut));
    }

    @Test
    void forgedLengthsAndMagicAreRefusedWithoutAllocating() {
        byte[] whole = summary(4, 1_000).encode();
        byte[] magic = whole.clone();
        magic[0] ^= 0x55;
        assertThatIllegalArgumentException().isThrownBy(() -> ColumnSummaries.decode(magic)).withMessageContaining("not a column summary");
        byte[] columns = whole.clone();
        ByteBuffer.wrap(columns).putInt(4, Integer.MAX_VALUE);
        assertThatIllegalArgumentException().isThrownBy(() -> ColumnSummaries.decode(columns));
        byte[] name = whole.clone();
        ByteBuffer.wrap(name).putInt(4 + 4 + 8 + 1, Integer.MAX_VALUE); // the first column name's length
        assertThatIllegalArgumentException().isThrownBy(() -> ColumnSummaries.decode(name)).withMessageContaining("length");
    }

    @Test
    void summariesOfOtherColumnsDoNotMerge() {
        ColumnSummaries other = new ColumnSummaries(new String[] {"y"}, new boolean[] {true});
        assertThatIllegalArgumentException().isThrownBy(() -> ColumnSummaries.merge(summary(5, 10).encode(), other.encode()))
                .withMessageContaining("different columns");
    }
}
