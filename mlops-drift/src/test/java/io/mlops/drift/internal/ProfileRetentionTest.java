package io.mlops.drift.internal;

import io.mlops.core.Dataset;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retaining profile lends its first use a borrowed sorted array and keeps a copy from the second
 * use on; the lean profile never keeps one; every use sees the same sorted values.
 */
class ProfileRetentionTest {

    private static final Executor SAME_THREAD = Runnable::run;

    @Test
    void theCopyIsMadeByTheSecondUseAndKept() {
        Dataset data = data();
        Profile.Numeric column = (Profile.Numeric) Profile.of(data, 10, SAME_THREAD, true).columns.get("x");
        double[] expected = Arrays.stream(data.numeric("x")).filter(Double::isFinite).sorted().toArray();
        assertThat(column.holdsCopy()).isFalse();

        double[] first = column.sorted();
        assertThat(first).containsExactly(expected);
        column.done(first);
        assertThat(column.holdsCopy()).as("after one use").isFalse();

        double[] second = column.sorted();
        assertThat(second).containsExactly(expected);
        column.done(second);
        assertThat(column.holdsCopy()).as("after two uses").isTrue();
        assertThat(column.sorted()).isSameAs(second);
        assertThat(column.missing()).isEqualTo(data.rowCount() - expected.length);
    }

    @Test
    void theLeanProfileNeverKeepsACopy() {
        Dataset data = data();
        Profile.Numeric column = (Profile.Numeric) Profile.of(data, 10, SAME_THREAD, false).columns.get("x");
        for (int i = 0; i < 3; i++) {
            double[] sorted = column.sorted();
            column.done(sorted);
        }
        assertThat(column.holdsCopy()).isFalse();
    }

    private static Dataset data() {
        SplittableRandom r = new SplittableRandom(3);
        double[] x = new double[60_000]; // above the size from which arrays are borrowed and radix-sorted
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 1000 == 0 ? Double.NaN : r.nextGaussian();
        }
        return Dataset.builder().numeric("x", x).build();
    }
}
