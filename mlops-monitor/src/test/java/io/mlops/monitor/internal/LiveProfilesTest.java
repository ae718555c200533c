package io.mlops.monitor.internal;

import io.mlops.core.Dataset;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.FeatureDrift;
import io.mlops.drift.ReferenceProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Profiles built on shards and merged describe the whole as a profile of the whole does. */
class LiveProfilesTest {

    @Test
    void fourShardsMergedEqualTheWholeWithinTheSketchError() {
        Random r = new Random(9);
        double[] x = new double[20_000];
        String[] c = new String[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
            c[i] = i % 3 == 0 ? "a" : "b";
        }
        ReferenceProfile reference = DriftDetector.builder(Dataset.builder().numeric("x", x).categorical("c", c).build())
                .build().profile();
        LiveProfiles whole = new LiveProfiles(Duration.ofDays(7), "prediction", io.mlops.monitor.LiveDrift.defaults());
        LiveProfiles[] shards = {new LiveProfiles(Duration.ofDays(7), "prediction", io.mlops.monitor.LiveDrift.defaults()), new LiveProfiles(Duration.ofDays(7), "prediction", io.mlops.monitor.LiveDrift.defaults()),
            new LiveProfiles(Duration.ofDays(7), "prediction", io.mlops.monitor.LiveDrift.defaults()), new LiveProfiles(Duration.ofDays(7), "prediction", io.mlops.monitor.LiveDrift.defaults())};
        for (int i = 0; i < 200_000; i++) {
            Map<String, Object> row = Map.of("x", r.nextGaussian() * 1.1 + 0.05, "c", r.nextInt(3) == 0 ? "a" : "b");
            long t = 1_000_000L + i * 50L; // a few hours
            whole.observe(t, row, null);
            shards[i % 4].observe(t, row, null);
        }
        LiveProfiles.Profile merged = new LiveProfiles.Profile();
        for (LiveProfiles s : shards) {
            merged.merge(s.merged(0, Long.MAX_VALUE));
        }
        LiveProfiles.Profile all = whole.merged(0, Long.MAX_VALUE);
        assertThat(merged.rows).isEqualTo(all.rows).isEqualTo(200_000);
        assertThat(merged.numeric.get("x").getN()).isEqualTo(200_000);
        assertThat(merged.categorical.get("c").getEstimate("a")).isEqualTo(all.categorical.get("c").getEstimate("a"));
        DriftReport a = DriftDetector.builder(reference).build().detect(LiveProfiles.sample(merged, reference, 2_000));
        DriftReport b = DriftDetector.builder(reference).build().detect(LiveProfiles.sample(all, reference, 2_000));
        double ksMerged = ((FeatureDrift.NumericStats) a.features().get("x").stats()).ksStatistic();
        double ksWhole = ((FeatureDrift.NumericStats) b.features().get("x").stats()).ksStatistic();
        assertThat(ksMerged).isCloseTo(ksWhole, within(2 * 0.0133 + 1.0 / 2000));
        for (double q : new double[] {0.01, 0.25, 0.5, 0.75, 0.99}) {
            double wholeRank = all.numeric.get("x").getRank(merged.numeric.get("x").getQuantile(q));
            assertThat(wholeRank).as("rank of the merged %s-quantile in the whole", q).isCloseTo(q, within(2 * 0.0133));
        }
    }
}
