package io.mlops.core.internal.text;

import com.fasterxml.jackson.core.JsonFactory;
import io.mlops.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlainJsonTest {

    private static final JsonFactory FACTORY = Json.mapper().getFactory();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void plainValuesAreWrittenAsTheObjectMapperWritesThem(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            Object value = value(random, 0);
            String plain = PlainJson.write(FACTORY, value);
            assertThat(plain).as("seed %d value %d", seed, i).isNotNull().isEqualTo(Json.mapper().writeValueAsString(value));
            assertThat(Json.write(value, Integer.MAX_VALUE, "value")).isEqualTo(plain);
            assertThat(PlainJsonReader.read(FACTORY, plain)).as("seed %d value %d read", seed, i)
                    .isEqualTo(Json.mapper().readValue(plain, Object.class));
        }
    }

    /** The flat values a monitor logs most are written without a generator: still the mapper's text. */
    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25, 26, 27, 28})
    void flatFeatureMapsAreWrittenAsTheObjectMapperWritesThem(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 500; i++) {
            Map<String, Object> m = random.nextBoolean() ? new LinkedHashMap<>() : new HashMap<>();
            for (int k = random.nextInt(30); k > 0; k--) {
                String key = random.nextInt(8) == 0 ? text(random) : "feature" + random.nextInt(1000) + "\u00e9";
                m.put(key, value(random, 10));
            }
            Object value = random.nextInt(5) == 0 ? value(random, 10) : m;
            String expected = Json.mapper().writeValueAsString(value);
            assertThat(PlainJson.write(FACTORY, value)).as("seed %d value %d", seed, i).isEqualTo(expected);
            String flat = PlainJson.flat(value);
            if (flat != null) {
                assertThat(flat).as("seed %d value %d, flat", seed, i).isEqualTo(expected);
            }
        }
        assertThat(PlainJson.writesAsFlat(FACTORY)).isTrue();
        for (Object special : List.of(Double.NaN, Float.NaN, Double.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0.0, -0.0f,
                1e-300, 3.4e38f, Double.MIN_NORMAL, Long.MIN_VALUE, Integer.MIN_VALUE, (short) -1, (byte) -128, "", "\u2028\ud800",
                Map.of(), Map.of("k", Double.NaN))) {
            assertThat(PlainJson.write(FACTORY, special)).as("%s", special).isEqualTo(Json.mapper().writeValueAsString(special));
            assertThat(PlainJson.flat(special)).as("%s, flat", special).isEqualTo(Json.mapper().writeValueAsString(special));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "-0.0", "0", "-0", "12345678901234567890123", "2147483648", "-2147483649",
        "9223372036854775808", "1.0", "123456789", "-123456789", "1234567890", "\"\"", "\"abc\"",
        "\"a\\\"b\"", "\"\\u00e9\"", "\"\u00e9\"", "true", "null", "false ", "\"x\" ", "1.5", "-1e3", "1E2", "0.1e-400", " 7 ", "[]", "{}", "{\"a\":1,\"a\":2}", "1 2", "\"NaN\"",
        "[null,true,false,{\"k\":[1.5,\"\\u0000\"]}]"})
    void textIsReadAsTheObjectMapperReadsIt(String text) throws IOException {
        Object expected = Json.mapper().readValue(text, Object.class);
        Object actual = PlainJsonReader.read(FACTORY, text);
        assertThat(actual).isEqualTo(expected);
        assertThat(actual == null ? null : actual.getClass()).isEqualTo(expected == null ? null : expected.getClass());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "007", "-", "--1", "\"abc", "{", "[1,", "{\"a\" 1}", "tru", "NaN", "'a'", "[1,]"})
    void badTextIsRefusedAsTheObjectMapperRefusesIt(String text) {
        assertThatThrownBy(() -> Json.mapper().readValue(text, Object.class)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> PlainJsonReader.read(FACTORY, text)).isInstanceOf(IOException.class);
    }

    @Test
    void whatIsNotPlainIsLeftToTheMapper() throws IOException {
        Map<Object, Object> intKeys = new HashMap<>();
        intKeys.put(1, "a");
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        record Point(int x, int y) {
        }
        for (Object v : List.of(new Point(1, 2), Instant.EPOCH, Thread.State.NEW, new byte[] {1, 2}, new char[] {'a'}, 'c',
                intKeys, Map.of("nested", List.of(1, new Point(3, 4))), new java.util.concurrent.atomic.AtomicLong(3))) {
            assertThat(PlainJson.write(FACTORY, v)).as("%s", v).isNull();
        }
        assertThat(PlainJson.write(FACTORY, nullKey)).isNull();
        // a map of the application's own, which Jackson's annotations may write otherwise (the flat
        // path took any Map before: this one came out as {"k":1})
        Tagged tagged = new Tagged();
        tagged.put("k", 1);
        assertThat(PlainJson.flat(tagged)).isNull();
        assertThat(PlainJson.write(FACTORY, tagged)).isNull();
        assertThat(Json.write(tagged, 100, "v")).isEqualTo("\"tagged\"");
        // and Json.write still writes them, with the mapper
        assertThat(Json.write(Map.of("at", Instant.EPOCH), 100, "v")).isEqualTo("{\"at\":\"1970-01-01T00:00:00Z\"}");
        assertThat(Json.write(new Point(1, 2), 100, "v")).isEqualTo("{\"x\":1,\"y\":2}");
    }

    @Test
    void nestingPastTheLimitIsRefusedAsBefore() {
        Object deep = 1;
        for (int i = 0; i < 600; i++) {
            deep = List.of(deep);
        }
        Object value = deep;
        assertThatThrownBy(() -> Json.write(value, Integer.MAX_VALUE, "input")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("input cannot be written as JSON").hasMessageContaining("500");
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThatThrownBy(() -> Json.write(cycle, Integer.MAX_VALUE, "input")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("input cannot be written as JSON");
    }

    /** Hostile text: every mutation of a valid document is read as the mapper reads it, or refused as it refuses it. */
    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33, 34, 35, 36, 37, 38})
    void mutatedTextIsReadOrRefusedAsTheObjectMapperDoes(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        String alphabet = "{}[]\",:0123456789.-+eEtrufalsn \\u00e9\n";
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder(Json.mapper().writeValueAsString(value(random, 0)));
            for (int k = 1 + random.nextInt(3); k > 0 && b.length() > 0; k--) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String text = b.toString();
            Object expected;
            try {
                expected = Json.mapper().readValue(text, Object.class);
            } catch (IOException e) {
                assertThatThrownBy(() -> PlainJsonReader.read(FACTORY, text)).as(text).isInstanceOf(IOException.class);
                continue;
            }
            assertThat(PlainJsonReader.read(FACTORY, text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void nestingAndNumbersPastTheLimitsAreRefusedWithoutAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.read(deep)).isInstanceOf(IOException.class).hasMessageContaining("500");
        String deepObjects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertThatThrownBy(() -> Json.read(deepObjects)).isInstanceOf(IOException.class).hasMessageContaining("500");
        assertThatThrownBy(() -> Json.read("1".repeat(1_001))).isInstanceOf(IOException.class).hasMessageContaining("1000");
        assertThatThrownBy(() -> Json.read("[" + "1".repeat(5_000) + "]")).isInstanceOf(IOException.class);
    }

    /** Fails on the code before: Json.write built the object mapper, about 450 classes, for the first plain value. */
    @Test
    void aPlainValueInAFreshProcessDoesNotBuildTheObjectMapper() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xshare:auto", "-verbose:class", "-cp",
                System.getProperty("java.class.path"), WriteOne.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("WROTE {\"tenure\":3,\"charges\":70.5,\"contract\":\"monthly\",\"support\":true}");
        assertThat(out).doesNotContain("com.fasterxml.jackson.databind.ObjectMapper");
    }

    /** A map that Jackson writes through its annotation, not as a map. */
    static final class Tagged extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;

        @com.fasterxml.jackson.annotation.JsonValue
        String tag() {
            return "tagged";
        }
    }

    /** The child process of the test above. */
    static final class WriteOne {
        public static void main(String[] args) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tenure", 3);
            m.put("charges", 70.5);
            m.put("contract", "monthly");
            m.put("support", true);
            System.out.println("WROTE " + Json.write(m, 1000, "input"));
        }
    }

    private static Object value(SplittableRandom r, int depth) {
        int kind = r.nextInt(depth > 3 ? 12 : 18);
        return switch (kind) {
            case 0 -> null;
            case 1 -> text(r);
            case 2 -> r.nextBoolean();
            case 3 -> r.nextInt();
            case 4 -> r.nextLong();
            case 5 -> r.nextInt(10) == 0 ? special(r) : r.nextDouble() * Math.pow(10, r.nextInt(-30, 30));
            case 6 -> (float) (r.nextDouble() * 1000);
            case 7 -> (short) r.nextInt(Short.MIN_VALUE, Short.MAX_VALUE);
            case 8 -> (byte) r.nextInt(-128, 127);
            case 9 -> new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(-20, 20));
            case 10 -> BigInteger.valueOf(r.nextLong()).multiply(BigInteger.valueOf(r.nextLong()));
            case 11 -> r.nextInt(60);
            case 12, 13 -> {
                Map<String, Object> m = r.nextBoolean() ? new LinkedHashMap<>() : new HashMap<>();
                for (int i = r.nextInt(6); i > 0; i--) {
                    m.put(text(r), value(r, depth + 1));
                }
                yield r.nextBoolean() ? m : java.util.Collections.unmodifiableMap(m);
            }
            case 14 -> {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(6); i > 0; i--) {
                    l.add(value(r, depth + 1));
                }
                yield r.nextBoolean() ? l : l.toArray();
            }
            case 15 -> r.doubles(r.nextInt(5)).toArray();
            case 16 -> r.nextBoolean() ? r.longs(r.nextInt(5)).toArray() : r.ints(r.nextInt(5)).toArray();
            default -> r.nextBoolean() ? new float[] {1.5f, (float) r.nextDouble()}
                    : new TreeSet<>(Arrays.asList(text(r), text(r)));
        };
    }

    private static double special(SplittableRandom r) {
        double[] s = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, Double.MAX_VALUE};
        return s[r.nextInt(s.length)];
    }

    private static String text(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            int k = r.nextInt(6);
            b.append(k == 0 ? (char) r.nextInt(0, 32) : k == 1 ? (char) r.nextInt(0x80, 0x3000)
                    : k == 2 ? "\"\\/".charAt(r.nextInt(3)) : (char) r.nextInt('a', 'z' + 1));
        }
        return b.toString();
    }
}
