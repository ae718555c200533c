package io.mlops.drift.stats;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More SciPy 1.10.1 values, produced by src/test/python/generate_extra_reference.py: the
 * Kolmogorov distribution across all regions of its implementation, and random two-sample KS,
 * chi-square, Wasserstein and Jensen-Shannon cases.
 */
class ExtraReferenceTest {

    @Test
    void kolmogorovDistributionMatchesScipyKstwoInEveryRegion() {
        for (JsonNode c : Reference.load("extra-reference/kstwo_sf.json").get("cases")) {
            int n = c.get("n").asInt();
            double x = c.get("x").asDouble();
            double expected = c.get("sf").asDouble();
            double actual = KolmogorovDistribution.sf(n, x);
            // 1e-9 relative, or 1e-15 absolute for the values that are 1 - CDF (SciPy computes them
            // as such too, so only their absolute error is meaningful)
            boolean ok = Reference.close(actual, expected, 1e-9) || Math.abs(actual - expected) <= 1e-15;
            assertThat(ok).as("kstwo.sf(%s, n=%s): %s vs SciPy %s", x, n, actual, expected).isTrue();
        }
    }

    @Test
    void twoSampleKolmogorovSmirnovMatchesScipyOnRandomAndTiedSamples() {
        for (JsonNode c : Reference.load("extra-reference/ks_2samp.json").get("cases")) {
            double[] a = Reference.doubles(c.get("a"));
            double[] b = Reference.doubles(c.get("b"));
            TestResult auto = KolmogorovSmirnov.test(a, b, KsMethod.AUTO);
            TestResult asymp = KolmogorovSmirnov.test(a, b, KsMethod.ASYMPTOTIC);
            String what = a.length + " vs " + b.length;
            assertThat(Reference.close(auto.statistic(), c.at("/auto/0").asDouble(), 1e-12)).as(what).isTrue();
            assertThat(Reference.close(auto.pValue(), c.at("/auto/1").asDouble(), 1e-9))
                    .as("%s auto p %s vs %s", what, auto.pValue(), c.at("/auto/1")).isTrue();
            assertThat(Reference.close(asymp.pValue(), c.at("/asymp/1").asDouble(), 1e-9) || Math.abs(asymp.pValue() - c.at("/asymp/1").asDouble()) <= 1e-15)
                    .as("%s asymp p %s vs %s", what, asymp.pValue(), c.at("/asymp/1")).isTrue();
        }
    }

    @Test
    void chiSquareMatchesScipyOnRandomTables() {
        for (JsonNode c : Reference.load("extra-reference/chi2.json").get("cases")) {
            JsonNode t = c.get("table");
            long[][] table = new long[t.size()][];
            for (int i = 0; i < t.size(); i++) {
                table[i] = new long[t.get(i).size()];
                for (int j = 0; j < table[i].length; j++) {
                    table[i][j] = t.get(i).get(j).asLong();
                }
            }
            ChiSquareResult r = ChiSquare.contingency(table, c.get("correction").asBoolean());
            assertThat(r.dof()).isEqualTo(c.get("dof").asInt());
            assertThat(Reference.close(r.statistic(), c.get("statistic").asDouble(), 1e-12)).as(t.toString()).isTrue();
            assertThat(Reference.close(r.pValue(), c.get("pvalue").asDouble(), 1e-9))
                    .as("%s p %s vs %s", t, r.pValue(), c.get("pvalue")).isTrue();
        }
    }

    @Test
    void wassersteinAndJensenShannonMatchScipy() {
        for (JsonNode c : Reference.load("extra-reference/wasserstein.json").get("cases")) {
            double actual = Wasserstein.distance(Reference.doubles(c.get("u")), Reference.doubles(c.get("v")));
            assertThat(Reference.close(actual, c.get("distance").asDouble(), 1e-12))
                    .as("%s vs %s", actual, c.get("distance")).isTrue();
        }
        for (JsonNode c : Reference.load("extra-reference/jensenshannon.json").get("cases")) {
            double[] p = Reference.doubles(c.get("p"));
            double[] q = Reference.doubles(c.get("q"));
            assertThat(Reference.close(JensenShannon.distance(p, q), c.get("e").asDouble(), 1e-12)).isTrue();
            assertThat(Reference.close(JensenShannon.distance(p, q, 2), c.get("base2").asDouble(), 1e-12)).isTrue();
        }
    }
}
