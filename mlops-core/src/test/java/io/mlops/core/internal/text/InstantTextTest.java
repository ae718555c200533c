package io.mlops.core.internal.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstantTextTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void whatInstantToStringWritesIsReadAsInstantParseReadsIt(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            long second = r.nextLong(-62_167_219_200L, 253_402_300_799L); // years 0000-9999
            int nanos = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1000;
                default -> r.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(second, nanos).toString();
            assertThat(InstantText.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-08T01:29:25Z", "2026-12-08T01:29:25.4Z", "2026-12-08T01:29:25.45254Z",
        "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "2026-12-08T01:29:25.000Z"})
    void canonicalTextOfEveryPrecisionIsReadAsInstantParseReadsIt(String text) {
        assertThat(InstantText.parse(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-32T00:00:00Z", 
        "2026-12-08T01:60:00Z", "2026-12-08T01:29:25.1234567890Z", "2026-12-08 01:29:25Z",
        "2026-12-08T01:29:25", "yesterday", "", "2026-12-08T01:29:2xZ"})
    void badTextIsRefusedAsInstantParseRefusesIt(String text) {
        assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> InstantText.parse(text)).isInstanceOf(DateTimeParseException.class);
    }

    /** Hostile text: every mutation of an instant's text is read as Instant.parse reads it, or refused as it refuses it. */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void mutatedTextIsReadOrRefusedAsInstantParseDoes(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String alphabet = "0123456789-:.TZtz+ ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(Instant.ofEpochSecond(r.nextLong(0, 4_102_444_800L), r.nextInt(1_000_000_000)).toString());
            for (int k = 1 + r.nextInt(2); k > 0 && b.length() > 0; k--) {
                int at = r.nextInt(b.length());
                switch (r.nextInt(3)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    default -> b.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                }
            }
            String text = b.toString();
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> InstantText.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
                continue;
            }
            assertThat(InstantText.parse(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void otherFormsInstantParseAcceptsAreLeftToIt() {
        for (String text : new String[] {"+10000-01-01T00:00:00Z", "2026-12-08T01:29:60Z", "2026-12-08t01:29:25z",
            "2026-12-08T24:00:00Z", "2026-12-08T01:29:25.Z"}) {
            boolean parses;
            try {
                Instant.parse(text);
                parses = true;
            } catch (DateTimeParseException e) {
                parses = false;
            }
            if (parses) {
                assertThat(InstantText.parse(text)).as(text).isEqualTo(Instant.parse(text));
            } else {
                assertThatThrownBy(() -> InstantText.parse(text)).isInstanceOf(DateTimeParseException.class);
            }
        }
    }
}
