package io.mlops.monitor.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A profile survives its bytes exactly; every truncation and a flipped byte in the framing fail as IOExceptions. */
class ProfileCodecTest {

    static LiveProfiles.Profile profile() {
        LiveProfiles profiles = new LiveProfiles(java.time.Duration.ofDays(1), "prediction", io.mlops.monitor.LiveDrift.defaults());
        Random r = new Random(3);
        for (int i = 0; i < 5_000; i++) {
            profiles.observe(1_000, Map.of("x", r.nextGaussian(), "colour", r.nextBoolean() ? "red" : "blue"),
                    i % 2 == 0 ? "churn" : "stay");
        }
        return profiles.merged(0, 3_600_000);
    }

    @Test
    void roundTrips() throws IOException {
        LiveProfiles.Profile p = profile();
        LiveProfiles.Profile back = ProfileCodec.read(ProfileCodec.write(p));
        assertThat(back.rows).isEqualTo(5_000);
        assertThat(back.numeric.get("x").getN()).isEqualTo(5_000);
        assertThat(back.numeric.get("x").getQuantile(0.5)).isEqualTo(p.numeric.get("x").getQuantile(0.5));
        assertThat(back.categorical.get("colour").getEstimate("red")).isEqualTo(p.categorical.get("colour").getEstimate("red"));
        assertThat(back.categoricalOutput.getEstimate("churn")).isEqualTo(2_500);
        assertThat(back.numericOutput).isNull();
        assertThat(ProfileCodec.write(back)).isEqualTo(ProfileCodec.write(p));
    }

    @Test
    void damagedBytesFailAsIoExceptions() {
        byte[] bytes = ProfileCodec.write(profile());
        for (int n = 0; n < bytes.length; n += Math.max(1, bytes.length / 200)) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> ProfileCodec.read(cut)).as("truncated to %d bytes", n).isInstanceOf(IOException.class);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> ProfileCodec.read(longer)).isInstanceOf(IOException.class).hasMessageContaining("after");
        byte[] badCount = bytes.clone();
        badCount[12] = (byte) 0x7f; // the numeric feature count's high byte
        assertThatThrownBy(() -> ProfileCodec.read(badCount)).isInstanceOf(IOException.class).hasMessageContaining("count");
    }
}
