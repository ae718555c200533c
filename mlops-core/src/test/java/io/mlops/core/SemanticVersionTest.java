package io.mlops.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SemanticVersionTest {

    private static SemanticVersion v(String s) {
        return SemanticVersion.parse(s);
    }

    @Test
    void numbersCompareNumericallyNotAsText() {
        assertThat(v("1.10.0")).isGreaterThan(v("1.9.0"));
        assertThat(v("10.0.0")).isGreaterThan(v("9.99.99"));
        assertThat(v("1.0.10")).isGreaterThan(v("1.0.9"));
    }

    @Test
    void preReleasePrecedenceFollowsTheSpecExample() {
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");
        List<SemanticVersion> shuffled = new ArrayList<>();
        ordered.forEach(s -> shuffled.add(v(s)));
        Collections.shuffle(shuffled, new Random(7));
        Collections.sort(shuffled);
        assertThat(shuffled).extracting(SemanticVersion::toString).containsExactlyElementsOf(ordered);
        assertThat(v("1.0.0-alpha")).isLessThan(v("1.0.0-alpha.1"));
        assertThat(v("1.0.0-alpha.1")).isLessThan(v("1.0.0-beta"));
        assertThat(v("1.0.0-beta")).isLessThan(v("1.0.0"));
        assertThat(v("1.0.0-2")).isLessThan(v("1.0.0-10"));
        assertThat(v("1.0.0-99999999999999999999")).isLessThan(v("1.0.0-a"));
    }

    @Test
    void buildMetadataIsIgnoredInPrecedence() {
        assertThat(v("1.0.0+build.1").comparePrecedence(v("1.0.0+build.2"))).isZero();
        assertThat(SemanticVersion.PRECEDENCE.compare(v("1.0.0+a"), v("1.0.0"))).isZero();
        assertThat(v("1.0.0+build.1")).isNotEqualTo(v("1.0.0+build.2"));
        // the natural order stays consistent with equals by breaking the tie on build metadata
        assertThat(v("1.0.0")).isLessThan(v("1.0.0+a"));
        assertThat(v("1.0.0+zzz")).isLessThan(v("1.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0", "0.0.0", "1.2.3-rc.1+build.5", "1.0.0-x-y-z.--", "1.0.0+001", "9223372036854775807.0.0"})
    void toStringGivesBackWhatWasParsed(String s) {
        assertThat(v(s).toString()).isEqualTo(s);
        assertThat(SemanticVersion.isValid(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.0", "1.0.0.0", "v1.0.0", "01.0.0", "1.02.0", "1.0.0-", "1.0.0+", "1.0.0-01",
            "1.0.0-a..b", "1.0.0-a_b", " 1.0.0", "1.0.0 ", "-1.0.0", "1.0.x", "9223372036854775808.0.0"})
    void invalidStringsAreRejectedWithAClearMessage(String s) {
        assertThatThrownBy(() -> v(s))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("Invalid semantic version '" + s + "': ");
        assertThat(SemanticVersion.isValid(s)).isFalse();
    }

    @Test
    void messagesSayWhichPartIsWrong() {
        assertThatThrownBy(() -> v("1.0")).hasMessageContaining("expected MAJOR.MINOR.PATCH");
        assertThatThrownBy(() -> v("1.02.0")).hasMessageContaining("minor version '02' has a leading zero");
        assertThatThrownBy(() -> v("1.0.0-a_b")).hasMessageContaining("pre-release identifier 'a_b'");
    }

    @Test
    void nextPatchDropsPreReleaseAndBuild() {
        assertThat(v("1.4.2-rc.1+b").nextPatch()).isEqualTo(v("1.4.3"));
        assertThat(v("0.0.0").nextPatch().toString()).isEqualTo("0.0.1");
        assertThat(v("1.2.3-rc.1").isPreRelease()).isTrue();
        assertThat(v("1.2.3-rc.1").preRelease()).containsExactly("rc", "1");
        assertThat(v("1.2.3+b.1").build()).isEqualTo("b.1");
    }
}
