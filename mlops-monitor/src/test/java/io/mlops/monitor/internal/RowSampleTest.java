package io.mlops.monitor.internal;

import io.mlops.drift.Multivariate;
import io.mlops.drift.MultivariateDrift;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sampled input rows of a multivariate method: the reservoir is uniform, a merge weights each
 * side by the rows it saw (a busy hour is not under-represented beside a quiet one), and the rows
 * survive the profile's bytes exactly, while damaged or hostile bytes fail as IOExceptions and a
 * profile written before samples existed (format 1) still reads. Seeded; tolerances are 4
 * standard errors.
 */
class RowSampleTest {

    private static RowSample offered(int n, int capacity, long seed, double value) {
        RowSample s = new RowSample(List.of("x"), capacity, seed);
        for (int i = 0; i < n; i++) {
            s.offer(Map.of("x", Double.isNaN(value) ? i : value));
        }
        return s;
    }

    @Test
    void theReservoirIsUniform() {
        RowSample s = offered(10_000, 500, 7, Double.NaN);
        assertThat(s.rows).hasSize(500);
        assertThat(s.seen).isEqualTo(10_000);
        double mean = s.rows.stream().mapToDouble(r -> r[0]).average().orElseThrow();
        double se = Math.sqrt((10_000.0 * 10_000 - 1) / 12 / 500);
        assertThat(Math.abs(mean - 4_999.5)).isLessThan(4 * se);
        long late = s.rows.stream().filter(r -> r[0] >= 9_000).count(); // the last tenth: about 50
        assertThat(late).isBetween(50 - 4 * 7L, 50 + 4 * 7L);
    }

    @Test
    void aMergeWeightsEachSideByTheRowsItSaw() {
        RowSample busy = offered(9_000, 500, 1, 0.0);
        RowSample quiet = offered(1_000, 500, 2, 1.0);
        RowSample merged = RowSample.merge(busy, quiet, 1_000);
        assertThat(merged.seen).isEqualTo(10_000);
        double share = merged.rows.stream().mapToDouble(r -> r[0]).average().orElseThrow();
        double se = Math.sqrt(0.1 * 0.9 / merged.rows.size());
        assertThat(Math.abs(share - 0.1)).as("the quiet hour's share of %d rows", merged.rows.size()).isLessThan(4 * se);
        // a side whose sample is its whole traffic is never drawn beyond it
        RowSample small = RowSample.merge(offered(30, 500, 3, 0.0), offered(20, 500, 4, 1.0), 1_000);
        assertThat(small.rows).hasSize(50);
        assertThatThrownBy(() -> RowSample.merge(busy, new RowSample(List.of("y"), 10, 1), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingOrNonNumericValueIsNaN() {
        RowSample s = new RowSample(List.of("x", "y"), 10, 1);
        s.offer(Map.of("x", "red"));
        s.offer(Map.of("x", Double.POSITIVE_INFINITY, "y", 2));
        assertThat(s.rows.get(0)).containsExactly(Double.NaN, Double.NaN);
        assertThat(s.rows.get(1)).containsExactly(Double.NaN, 2.0);
    }

    static LiveProfiles.Profile sampledProfile() {
        Random r = new Random(5);
        double[][] a = new double[300][];
        for (int i = 0; i < a.length; i++) {
            double x = r.nextGaussian();
            a[i] = new double[] {x, x + 0.3 * r.nextGaussian()};
        }
        io.mlops.core.Dataset training = io.mlops.core.Dataset.builder()
                .numeric("x", Arrays.stream(a).mapToDouble(v -> v[0]).toArray())
                .numeric("y", Arrays.stream(a).mapToDouble(v -> v[1]).toArray()).build();
        MultivariateDrift pca = Multivariate.pcaReconstruction().fit(training);
        LiveProfiles profiles = new LiveProfiles(java.time.Duration.ofDays(1), "prediction", io.mlops.monitor.LiveDrift.defaults(),
                pca, 100);
        for (int i = 0; i < 1_000; i++) {
            profiles.observe(1_000, Map.of("x", r.nextGaussian(), "y", r.nextGaussian()), 1);
        }
        return profiles.merged(0, 3_600_000);
    }

    @Test
    void theSampleSurvivesTheProfilesBytes() throws IOException {
        LiveProfiles.Profile p = sampledProfile();
        LiveProfiles.Profile back = ProfileCodec.read(ProfileCodec.write(p));
        assertThat(back.sample.seen).isEqualTo(1_000);
        assertThat(back.sample.capacity).isEqualTo(100);
        assertThat(back.sample.features).containsExactly("x", "y");
        assertThat(back.sample.rows).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(back.sample.rows.get(i)).containsExactly(p.sample.rows.get(i));
        }
        assertThat(ProfileCodec.write(back)).isEqualTo(ProfileCodec.write(p));
    }

    @Test
    void damagedOrHostileSamplesFailAsIoExceptions() {
        byte[] bytes = ProfileCodec.write(sampledProfile());
        for (int n = bytes.length - 1_700; n < bytes.length; n += 37) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> ProfileCodec.read(cut)).as("truncated to %d bytes", n).isInstanceOf(IOException.class);
        }
        // the sample's row count (the int before its 100 rows of 2 doubles) raised past its capacity
        int sizeAt = bytes.length - 100 * 2 * Double.BYTES - Integer.BYTES;
        byte[] tooMany = bytes.clone();
        ByteBuffer.wrap(tooMany).putInt(sizeAt, 101);
        assertThatThrownBy(() -> ProfileCodec.read(tooMany)).isInstanceOf(IOException.class).hasMessageContaining("row sample");
        byte[] huge = bytes.clone();
        ByteBuffer.wrap(huge).putInt(sizeAt - Long.BYTES - Integer.BYTES, Integer.MAX_VALUE); // capacity
        assertThatThrownBy(() -> ProfileCodec.read(huge)).isInstanceOf(IOException.class).hasMessageContaining("row sample");
    }

    @Test
    void aProfileWrittenBeforeSamplesStillReads() throws IOException {
        byte[] now = ProfileCodec.write(ProfileCodecTest.profile()); // no sample: its flag is the last byte
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(old)) {
            out.writeInt(0x4D4C5031); // "MLP1"
            out.write(now, 4, now.length - 5);
        }
        LiveProfiles.Profile p = ProfileCodec.read(old.toByteArray());
        assertThat(p.rows).isEqualTo(5_000);
        assertThat(p.sample).isNull();
    }
}
