package io.mlops.drift.stats;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every case of ../shared/reference-values (SciPy 1.10.1), copied into the test resources.
 *
 * <p>Tolerances: statistics to 1e-12 relative. Exact p-values (KS exact, chi-square) to 1e-9
 * relative: the algorithms are the same as SciPy's and differ only in rounding. Asymptotic KS
 * p-values to 1e-9 relative as well: the Kolmogorov distribution is evaluated by exact algorithms in
 * the regions these cases fall in.
 */
class ScipyReferenceTest {

    static List<String> numeric() {
        return Reference.sharedCases('n');
    }

    static List<String> categorical() {
        return Reference.sharedCases('c');
    }

    @ParameterizedTest
    @MethodSource("numeric")
    void kolmogorovSmirnovAutoMatchesScipy(String name) {
        JsonNode c = Reference.load("reference-values/" + name + ".json");
        double[] ref = Reference.doubles(c.at("/input/reference"));
        double[] cur = Reference.doubles(c.at("/input/current"));
        JsonNode auto = c.at("/expected/scipy/ks_2samp/auto");

        KsResult r = KolmogorovSmirnov.testDetailed(ref, cur, KsMethod.AUTO);

        assertThat(Reference.close(r.statistic(), auto.get("statistic").asDouble(), 1e-12))
                .as("%s statistic %s vs %s", name, r.statistic(), auto.get("statistic")).isTrue();
        assertThat(Reference.close(r.pValue(), Reference.number(auto.get("pvalue")), 1e-9))
                .as("%s p-value %s vs %s", name, r.pValue(), auto.get("pvalue")).isTrue();
        String resolved = auto.get("method_resolved").asText();
        assertThat(r.method()).as(name).isEqualTo(resolved.startsWith("exact (fell back") ? KsMethod.ASYMPTOTIC
                : resolved.equals("exact") ? KsMethod.EXACT : KsMethod.ASYMPTOTIC);
    }

    @ParameterizedTest
    @MethodSource("numeric")
    void kolmogorovSmirnovAsymptoticMatchesScipy(String name) {
        JsonNode c = Reference.load("reference-values/" + name + ".json");
        double[] ref = Reference.doubles(c.at("/input/reference"));
        double[] cur = Reference.doubles(c.at("/input/current"));
        JsonNode asymp = c.at("/expected/scipy/ks_2samp/asymp");

        TestResult r = KolmogorovSmirnov.test(ref, cur, KsMethod.ASYMPTOTIC);

        assertThat(Reference.close(r.statistic(), asymp.get("statistic").asDouble(), 1e-12))
                .as("%s statistic", name).isTrue();
        assertThat(Reference.close(r.pValue(), Reference.number(asymp.get("pvalue")), 1e-9))
                .as("%s p-value %s vs %s", name, r.pValue(), asymp.get("pvalue")).isTrue();
    }

    @ParameterizedTest
    @MethodSource("numeric")
    void wassersteinMatchesScipy(String name) {
        JsonNode c = Reference.load("reference-values/" + name + ".json");
        double expected = c.at("/expected/scipy/wasserstein_distance").asDouble();
        double actual = Wasserstein.distance(Reference.doubles(c.at("/input/reference")), Reference.doubles(c.at("/input/current")));
        assertThat(Reference.close(actual, expected, 1e-12)).as("%s %s vs %s", name, actual, expected).isTrue();
    }

    @ParameterizedTest
    @MethodSource("numeric")
    void jensenShannonOfTheBinnedSamplesMatchesScipy(String name) {
        JsonNode js = Reference.load("reference-values/" + name + ".json").at("/expected/scipy/jensenshannon_binned");
        double[] p = Reference.doubles(js.get("p"));
        double[] q = Reference.doubles(js.get("q"));
        assertThat(Reference.close(JensenShannon.distance(p, q), js.get("distance_base_e").asDouble(), 1e-12)).as(name).isTrue();
        assertThat(Reference.close(JensenShannon.distance(p, q, 2), js.get("distance_base_2").asDouble(), 1e-12)).as(name).isTrue();
    }

    @ParameterizedTest
    @MethodSource("categorical")
    void chiSquareMatchesScipyWithAndWithoutYates(String name) {
        JsonNode c = Reference.load("reference-values/" + name + ".json");
        long[][] table = contingency(c);
        JsonNode expectedTable = c.at("/expected/scipy/contingency_table_2xK");
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < table[i].length; j++) {
                assertThat(table[i][j]).isEqualTo(expectedTable.get(i).get(j).asLong());
            }
        }
        for (boolean yates : new boolean[] {true, false}) {
            JsonNode e = c.at("/expected/scipy/chi2_contingency/correction_" + yates);
            ChiSquareResult r = ChiSquare.contingency(table, yates);
            assertThat(r.dof()).isEqualTo(e.get("dof").asInt());
            assertThat(Reference.close(r.statistic(), e.get("statistic").asDouble(), 1e-12))
                    .as("%s yates=%s statistic %s vs %s", name, yates, r.statistic(), e.get("statistic")).isTrue();
            assertThat(Reference.close(r.pValue(), e.get("pvalue").asDouble(), 1e-9))
                    .as("%s yates=%s p-value %s vs %s", name, yates, r.pValue(), e.get("pvalue")).isTrue();
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < table[i].length; j++) {
                    assertThat(Reference.close(r.expected()[i][j], e.at("/expected_freq/" + i + "/" + j).asDouble(), 1e-12)).isTrue();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("categorical")
    void jensenShannonOfCategoryProportionsMatchesScipy(String name) {
        JsonNode js = Reference.load("reference-values/" + name + ".json").at("/expected/scipy/jensenshannon_proportions");
        double[] p = Reference.doubles(js.get("p"));
        double[] q = Reference.doubles(js.get("q"));
        assertThat(Reference.close(JensenShannon.distance(p, q), js.get("distance_base_e").asDouble(), 1e-12)).as(name).isTrue();
        assertThat(Reference.close(JensenShannon.distance(p, q, 2), js.get("distance_base_2").asDouble(), 1e-12)).as(name).isTrue();
    }

    /** The 2xK table over the sorted union of categories, built as the reference describes. */
    static long[][] contingency(JsonNode c) {
        String[] ref = Reference.strings(c.at("/input/reference"));
        String[] cur = Reference.strings(c.at("/input/current"));
        TreeSet<String> categories = new TreeSet<>();
        for (String s : ref) {
            categories.add(s);
        }
        for (String s : cur) {
            categories.add(s);
        }
        List<String> cats = new ArrayList<>(categories);
        long[][] table = new long[2][cats.size()];
        for (String s : ref) {
            table[0][cats.indexOf(s)]++;
        }
        for (String s : cur) {
            table[1][cats.indexOf(s)]++;
        }
        return table;
    }

    @Test
    void commonsMathWouldHaveGivenAnotherAnswerForTiedSamples() {
        // DESIGN.md: tied integers 60x60 give 0.182 with Commons Math's test, 0.665 with SciPy.
        double[] a = new double[60];
        double[] b = new double[60];
        for (int i = 0; i < 60; i++) {
            a[i] = i % 6;
            b[i] = (i + 1) % 7;
        }
        TestResult ours = KolmogorovSmirnov.test(a, b);
        assertThat(ours.pValue()).isBetween(0.0, 1.0);
        assertThat(ours.statistic()).isLessThanOrEqualTo(1.0);
    }
}
