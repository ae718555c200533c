package io.mlops.drift.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Loads SciPy reference values from the test resources. */
final class Reference {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Reference() {
    }

    static JsonNode load(String resource) {
        try (InputStream in = Reference.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared cases' file names: n01…n15 (numeric) and c01…c06 (categorical). */
    static List<String> sharedCases(char kind) {
        List<String> names = new ArrayList<>();
        String[] all = {"n01_normal_same_1000", "n02_normal_meanshift_1000", "n03_normal_scaleshift_2000",
            "n04_normal_smallshift_5000", "n05_tiny_5v5", "n06_tiny_5v8", "n07_tiny_identical_5", "n08_identical_500",
            "n09_identical_permuted_3000", "n10_disjoint_above_200", "n11_disjoint_below_300v100",
            "n12_partial_overlap_1000", "n13_ties_poisson_1000", "n14_ties_binary_5000", "n15_ties_small_int_5v5",
            "c01_same_props_3cats_1000", "c02_shift_3cats_1000v500", "c03_binary_1000", "c04_binary_tiny_5v5",
            "c05_unseen_category", "c06_missing_category"};
        for (String a : all) {
            if (a.charAt(0) == kind) {
                names.add(a);
            }
        }
        return names;
    }

    static double number(JsonNode n) {
        if (n.isTextual()) {
            switch (n.asText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    throw new IllegalArgumentException(n.asText());
            }
        }
        return n.asDouble();
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(array.get(i));
        }
        return out;
    }

    static String[] strings(JsonNode array) {
        String[] out = new String[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).isNull() ? null : array.get(i).asText();
        }
        return out;
    }

    /** |actual - expected| <= rel * |expected| (exact equality for 0 and infinities). */
    static boolean close(double actual, double expected, double rel) {
        if (expected == actual) {
            return true;
        }
        return Math.abs(actual - expected) <= rel * Math.abs(expected);
    }
}
