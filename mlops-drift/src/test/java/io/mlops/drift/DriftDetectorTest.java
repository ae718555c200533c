package io.mlops.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.drift.stats.KolmogorovSmirnov;
import io.mlops.drift.stats.TestResult;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DriftDetectorTest {

    static Dataset resource(String name) throws URISyntaxException {
        return Dataset.readCsv(Path.of(DriftDetectorTest.class.getResource("/chapter/" + name).toURI()));
    }

    @Test
    void targetAndPredictionAreReportedApartAndIgnoredColumnsAreLeftOut() {
        java.util.Random random = new java.util.Random(11);
        int n = 2_000;
        double[] a = new double[n];
        double[] a2 = new double[n];
        String[] b = new String[n];
        String[] b2 = new String[n];
        String[] label = new String[n];
        String[] label2 = new String[n];
        double[] score = new double[n];
        double[] score2 = new double[n];
        String[] id = new String[n];
        String[] id2 = new String[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextGaussian();
            a2[i] = random.nextGaussian();
            b[i] = random.nextBoolean() ? "x" : "y";
            b2[i] = random.nextBoolean() ? "x" : "y";
            label[i] = random.nextDouble() < 0.2 ? "churn" : "stay";
            label2[i] = random.nextDouble() < 0.5 ? "churn" : "stay";      // the target shifted
            score[i] = random.nextDouble();
            score2[i] = 0.5 + random.nextDouble() / 2;                      // and so did the model's output
            id[i] = "r" + i;
            id2[i] = "c" + i;
        }
        Dataset reference = Dataset.builder().numeric("a", a).categorical("b", b).categorical("label", label)
                .numeric("score", score).categorical("id", id).build();
        Dataset current = Dataset.builder().numeric("a", a2).categorical("b", b2).categorical("label", label2)
                .numeric("score", score2).categorical("id", id2).build();
        DriftDetector detector = DriftDetector.builder(reference).target("label").prediction("score").ignore("id")
                .correction(Correction.BONFERRONI).build();
        assertThat(detector.profile().columns()).as("an ignored column is not profiled").doesNotContain("id");
        DriftReport report = detector.detect(current);

        assertThat(report.features()).containsOnlyKeys("a", "b", "label", "score");
        assertThat(report.newColumns()).isEmpty();
        assertThat(report.driftedFeatures()).isEmpty();
        assertThat(report.driftShare()).isZero();
        assertThat(report.driftDetected()).isFalse();
        assertThat(report.summary().totalFeatures()).isEqualTo(2);
        assertThat(report.targetDrift().orElseThrow().driftDetected()).isTrue();
        assertThat(report.predictionDrift().orElseThrow().feature()).isEqualTo("score");
        assertThat(report.predictionDrift().orElseThrow().driftDetected()).isTrue();
        assertThat(report.role("label")).isEqualTo(ColumnRole.TARGET);
        assertThat(report.role("a")).isEqualTo(ColumnRole.FEATURE);
        // Bonferroni over the two features only; the target's p-value is its own
        FeatureDrift.Decision da = report.features().get("a").decision();
        assertThat(da.adjustedPValue()).isEqualTo(Math.min(1, da.pValue() * 2));
        FeatureDrift.Decision dl = report.targetDrift().orElseThrow().decision();
        assertThat(dl.adjustedPValue()).isEqualTo(dl.pValue());

        String json = report.toJson();
        assertThat(json).contains("\"target_drift\"").contains("\"prediction_drift\"").contains("\"label\" : \"TARGET\"");
        assertThat(report.toHtml()).contains("label <em>(target, not in the drift share)</em>");

        assertThatThrownBy(() -> DriftDetector.builder(reference).target("churned").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target column 'churned'");
        // from a profile the same roles apply
        DriftReport again = DriftDetector.builder(detector.profile()).target("label").prediction("score").build().detect(current);
        assertThat(again.driftShare()).isZero();
        assertThat(again.targetDrift()).isPresent();
        assertThat(again.newColumns()).as("id was not profiled: from a profile it is new unless ignored").containsExactly("id");
    }

    @Test
    void theChaptersExampleFlagsFeature1AndCategory1Only() throws Exception {
        Dataset reference = resource("reference.csv");
        Dataset current = resource("current.csv");
        JsonNode scipy;
        try (InputStream in = getClass().getResourceAsStream("/chapter/expected.json")) {
            scipy = new ObjectMapper().readTree(in);
        }

        DriftDetector detector = DriftDetector.builder(reference).build();
        DriftReport report = detector.detect(current);

        assertThat(report.driftedFeatures()).containsExactly("feature1", "category1");
        assertThat(report.driftDetected()).isTrue();
        assertThat(report.driftShare()).isEqualTo(0.5);
        DriftSummary summary = report.summary();
        assertThat(summary.numericalDrifts()).containsExactly("feature1");
        assertThat(summary.categoricalDrifts()).containsExactly("category1");
        for (String f : new String[] {"feature1", "feature2"}) {
            FeatureDrift d = report.features().get(f);
            assertThat(((FeatureDrift.NumericStats) d.stats()).ksStatistic()).isCloseTo(scipy.at("/" + f + "/ks_statistic").asDouble(), within(1e-12));
            assertThat(((FeatureDrift.NumericStats) d.stats()).ksPValue()).isCloseTo(scipy.at("/" + f + "/ks_pvalue").asDouble(),
                    within(1e-9 * scipy.at("/" + f + "/ks_pvalue").asDouble()));
        }
        for (String f : new String[] {"category1", "category2"}) {
            FeatureDrift d = report.features().get(f);
            assertThat(((FeatureDrift.CategoricalStats) d.stats()).chiSquare()).isCloseTo(scipy.at("/" + f + "/chi2").asDouble(), within(1e-9));
            assertThat(((FeatureDrift.CategoricalStats) d.stats()).chiSquarePValue()).isCloseTo(scipy.at("/" + f + "/chi2_pvalue").asDouble(),
                    within(1e-9 * scipy.at("/" + f + "/chi2_pvalue").asDouble()));
        }
        assertThat(detector.history()).containsExactly(report);
    }

    @Test
    void aCompleteShiftScoresAHighPsi() {
        Random r = new Random(1);
        double[] ref = new double[1000];
        double[] cur = new double[1000];
        for (int i = 0; i < 1000; i++) {
            ref[i] = r.nextDouble();
            cur[i] = 2 + r.nextDouble();
        }
        DriftReport report = DriftDetector.builder(Dataset.builder().numeric("x", ref).build()).build()
                .detect(Dataset.builder().numeric("x", cur).build());
        FeatureDrift x = report.features().get("x");
        // 9 empty bins at epsilon and one holding everything: about 8.3, where the reference's
        // histogram PSI gave 0 because np.histogram drops values outside the reference range
        assertThat(x.decision().psi()).isGreaterThan(8.0);
        assertThat(x.decision().severity()).isEqualTo(Severity.HIGH);
        assertThat(x.driftDetected()).isTrue();
        assertThat(((FeatureDrift.NumericStats) x.stats()).ksStatistic()).isEqualTo(1.0);
        assertThat(report.summary().highSeverityDrifts()).containsExactly("x");
    }

    @Test
    void missingValuesAreLeftOutOfTheTestsAndTheirShareIsReported() {
        Random r = new Random(2);
        double[] ref = new double[2000];
        double[] cur = new double[2000];
        for (int i = 0; i < 2000; i++) {
            ref[i] = r.nextGaussian();
            cur[i] = i % 10 == 0 ? Double.NaN : r.nextGaussian();
        }
        cur[5] = Double.POSITIVE_INFINITY;
        DriftReport report = DriftDetector.builder(Dataset.builder().numeric("x", ref).build()).build()
                .detect(Dataset.builder().numeric("x", cur).build());
        FeatureDrift x = report.features().get("x");

        double[] finite = Arrays.stream(cur).filter(Double::isFinite).toArray();
        TestResult expected = KolmogorovSmirnov.test(ref, finite);
        assertThat(((FeatureDrift.NumericStats) x.stats()).ksStatistic()).isEqualTo(expected.statistic());
        assertThat(((FeatureDrift.NumericStats) x.stats()).ksPValue()).isEqualTo(expected.pValue());
        assertThat(x.missing().referenceShare()).isZero();
        assertThat(x.missing().currentShare()).isEqualTo(201 / 2000.0);
        assertThat(x.missing().drift()).isTrue();
        assertThat(x.driftDetected()).isTrue(); // by the missing share alone
        assertThat(((FeatureDrift.NumericStats) x.stats()).currentMean()).isFinite();
    }

    @Test
    void missingCategoriesAreCountedOnBothSidesAndLeftOutOfTheTest() {
        String[] ref = new String[1000];
        String[] cur = new String[1000];
        for (int i = 0; i < 1000; i++) {
            ref[i] = i % 100 < 3 ? null : (i % 2 == 0 ? "a" : "b");
            cur[i] = i % 100 < 12 ? null : (i % 2 == 0 ? "a" : "b");
        }
        DriftDetector detector = DriftDetector.builder(Dataset.builder().categorical("c", ref).build()).build();
        FeatureDrift c = detector.detect(Dataset.builder().categorical("c", cur).build()).features().get("c");
        assertThat(c.missing().referenceShare()).isEqualTo(0.03);
        assertThat(c.missing().currentShare()).isEqualTo(0.12);
        assertThat(c.missing().drift()).isTrue(); // 9 points apart, over the 5-point threshold
        // the present values are half a, half b on both sides: the test itself sees no drift
        assertThat(((FeatureDrift.CategoricalStats) c.stats()).chiSquarePValue()).isGreaterThan(0.5);
        assertThat(ReferenceProfile.fromJson(detector.profile().toJson()).toJson()).contains("\"missing\":30");
    }

    @Test
    void missingAndNewColumnsAreReportedNotSkipped() {
        Dataset ref = Dataset.builder().numeric("a", new double[] {1, 2, 3}).categorical("b", new String[] {"x", "y", "x"}).build();
        Dataset cur = Dataset.builder().numeric("a", new double[] {1, 2, 3}).numeric("c", new double[] {1, 1, 1}).build();
        DriftReport report = DriftDetector.builder(ref).build().detect(cur);
        assertThat(report.features().get("b").status()).isEqualTo(FeatureDrift.Status.MISSING);
        assertThat(report.features().get("b").driftDetected()).isFalse();
        assertThat(report.newColumns()).containsExactly("c");
        assertThat(report.summary().missingColumns()).containsExactly("b");
        assertThat(report.summary().totalFeatures()).isEqualTo(1);
    }

    @Test
    void newAndVanishedCategoriesAreListedSorted() {
        Dataset ref = Dataset.builder().categorical("c", new String[] {"a", "b", "c", "a"}).build();
        Dataset cur = Dataset.builder().categorical("c", new String[] {"a", "z", "y", "a"}).build();
        FeatureDrift c = DriftDetector.builder(ref).build().detect(cur).features().get("c");
        assertThat(((FeatureDrift.CategoricalStats) c.stats()).newCategories()).containsExactly("y", "z");
        assertThat(((FeatureDrift.CategoricalStats) c.stats()).missingCategories()).containsExactly("b", "c");
        assertThat(((FeatureDrift.CategoricalStats) c.stats()).jensenShannon()).isPositive();
    }

    @Test
    void bySampleSizeUsesDistancesForLargeReferences() {
        Random r = new Random(3);
        int n = 5000;
        double[] ref = new double[n];
        double[] cur = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = r.nextGaussian();
            cur[i] = r.nextGaussian() + 0.08; // significant at this n, but small
        }
        Dataset refData = Dataset.builder().numeric("x", ref).build();
        Dataset curData = Dataset.builder().numeric("x", cur).build();

        FeatureDrift byP = DriftDetector.builder(refData).build().detect(curData).features().get("x");
        FeatureDrift byDistance = DriftDetector.builder(refData).defaultTests(DefaultTests.BY_SAMPLE_SIZE).build()
                .detect(curData).features().get("x");

        assertThat(byP.decision().test()).isEqualTo(StatTest.KOLMOGOROV_SMIRNOV);
        assertThat(byP.driftDetected()).isTrue();
        assertThat(byDistance.decision().test()).isEqualTo(StatTest.WASSERSTEIN_NORMALIZED);
        assertThat(byDistance.decision().statistic()).isLessThan(0.1);
        assertThat(byDistance.driftDetected()).isFalse();
    }

    @Test
    void correctionsAdjustPValuesAcrossFeatures() {
        Random r = new Random(4);
        Dataset.Builder refB = Dataset.builder();
        Dataset.Builder curB = Dataset.builder();
        for (int f = 0; f < 5; f++) {
            double[] ref = new double[300];
            double[] cur = new double[300];
            for (int i = 0; i < 300; i++) {
                ref[i] = r.nextGaussian();
                cur[i] = r.nextGaussian() + (f == 0 ? 0.2 : 0);
            }
            refB.numeric("f" + f, ref);
            curB.numeric("f" + f, cur);
        }
        Dataset ref = refB.build();
        Dataset cur = curB.build();
        DriftReport none = DriftDetector.builder(ref).build().detect(cur);
        DriftReport bonferroni = DriftDetector.builder(ref).correction(Correction.BONFERRONI).build().detect(cur);
        DriftReport bh = DriftDetector.builder(ref).correction(Correction.BENJAMINI_HOCHBERG).build().detect(cur);
        for (String f : none.features().keySet()) {
            double p = none.features().get(f).decision().pValue();
            assertThat(none.features().get(f).decision().adjustedPValue()).isEqualTo(p);
            assertThat(bonferroni.features().get(f).decision().adjustedPValue()).isEqualTo(Math.min(1, 5 * p));
            assertThat(bh.features().get(f).decision().adjustedPValue()).isBetween(p, Math.min(1, 5 * p));
        }
    }

    @Test
    void theProfileRoundTripsThroughJsonAndGivesIdenticalReports() {
        Random r = new Random(5);
        double[] x = new double[3000];
        String[] c = new String[3000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 17 == 0 ? Double.NaN : r.nextGaussian() * 3;
            c[i] = i % 13 == 0 ? null : "k" + r.nextInt(4);
        }
        Dataset ref = Dataset.builder().numeric("x", x).categorical("c", c).build();
        Dataset cur = Dataset.builder().numeric("x", Arrays.stream(x).map(v -> v * 1.1).toArray()).categorical("c", c).build();
        DriftDetector direct = DriftDetector.builder(ref).build();
        ReferenceProfile back = ReferenceProfile.fromJson(direct.profile().toJson(true));
        DriftDetector fromProfile = DriftDetector.builder(back).build();
        assertThat(back.hasValues()).isTrue();

        assertThat(back.columns()).containsExactly("x", "c");
        assertThat(back.type("c")).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(withoutTimestamp(fromProfile.detect(cur).toJson())).isEqualTo(withoutTimestamp(direct.detect(cur).toJson()));
        assertThatThrownBy(() -> ReferenceProfile.fromJson("{\"format\": 2}")).isInstanceOf(io.mlops.core.ValidationException.class);
        assertThatThrownBy(() -> ReferenceProfile.fromJson("{\"format\": 3, \"rowCount\": 1, \"columns\": []}"))
                .isInstanceOf(io.mlops.core.ValidationException.class);

        // a user's own implementation, e.g. a profile kept in their store, is read through its JSON
        String json = direct.profile().toJson(true);
        ReferenceProfile foreign = new ReferenceProfile() {
            @Override
            public String toJson() {
                return json;
            }

            @Override
            public long rowCount() {
                return back.rowCount();
            }

            @Override
            public java.util.List<String> columns() {
                return back.columns();
            }

            @Override
            public ColumnType type(String column) {
                return back.type(column);
            }

            @Override
            public int psiBins() {
                return back.psiBins();
            }
        };
        assertThat(withoutTimestamp(DriftDetector.builder(foreign).build().detect(cur).toJson()))
                .isEqualTo(withoutTimestamp(direct.detect(cur).toJson()));
    }

    @Test
    void aSavedProfileHoldsNoValuesAndItsChecksStayWithinTheStatedBound() throws Exception {
        Random r = new Random(11);
        int n = 20_000;
        double[] x = new double[n];
        String[] c = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 50 == 0 ? Double.NaN : r.nextGaussian();
            c[i] = "k" + r.nextInt(5);
        }
        Dataset ref = Dataset.builder().numeric("x", x).categorical("c", c).build();
        DriftDetector exact = DriftDetector.builder(ref).build();
        String saved = exact.profile().toJson();
        String withValues = exact.profile().toJson(true);
        assertThat(saved).doesNotContain("\"values\"");
        assertThat(saved.length()).as("the saved profile against the one with values").isLessThan(withValues.length() / 5);
        com.fasterxml.jackson.databind.JsonNode column = new com.fasterxml.jackson.databind.ObjectMapper().readTree(saved)
                .get("columns").get(0);
        long finite = n - n / 50;
        int k = (int) Math.ceil(16 * Math.sqrt(finite));
        assertThat(column.get("count").asLong()).isEqualTo(finite);
        assertThat(java.util.Base64.getDecoder().decode(column.get("quantiles").asText())).hasSize(8 * k);
        ReferenceProfile summary = ReferenceProfile.fromJson(saved);
        assertThat(summary.hasValues()).isFalse();
        assertThatThrownBy(() -> summary.toJson(true)).isInstanceOf(IllegalStateException.class);
        DriftDetector fromSummary = DriftDetector.builder(summary).build();
        for (double shift : new double[] {0, 0.02, 0.5}) {
            Random rc = new Random(12);
            double[] y = new double[5000];
            String[] d = new String[5000];
            for (int i = 0; i < y.length; i++) {
                y[i] = rc.nextGaussian() + shift;
                d[i] = "k" + rc.nextInt(shift > 0.1 ? 3 : 5);
            }
            Dataset cur = Dataset.builder().numeric("x", y).categorical("c", d).build();
            DriftReport a = exact.detect(cur);
            DriftReport b = fromSummary.detect(cur);
            FeatureDrift.NumericStats ea = (FeatureDrift.NumericStats) a.features().get("x").stats();
            FeatureDrift.NumericStats eb = (FeatureDrift.NumericStats) b.features().get("x").stats();
            assertThat(Math.abs(ea.ksStatistic() - eb.ksStatistic())).as("shift %s", shift).isLessThanOrEqualTo(1.0 / k);
            assertThat(eb.referenceMean()).isEqualTo(ea.referenceMean());
            assertThat(eb.referenceStd()).isEqualTo(ea.referenceStd());
            assertThat(b.features().get("x").decision().psi()).isEqualTo(a.features().get("x").decision().psi());
            assertThat(b.features().get("c").stats()).isEqualTo(a.features().get("c").stats());
            if (shift != 0.02) { // far from the decision's boundary: the same decision
                assertThat(b.features().get("x").driftDetected()).as("shift %s", shift).isEqualTo(a.features().get("x").driftDetected());
            }
        }
    }

    private static String withoutTimestamp(String json) {
        return json.replaceAll("\"timestamp\" : \"[^\"]*\"", "");
    }

    @Test
    void theMemoryLeanModeGivesTheSameReports() {
        Random r = new Random(6);
        double[] x = new double[5000];
        String[] c = new String[5000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 19 == 0 ? Double.NaN : r.nextGaussian();
            c[i] = "k" + r.nextInt(3);
        }
        Dataset ref = Dataset.builder().numeric("x", x).categorical("c", c).build();
        Dataset cur = Dataset.builder().numeric("x", Arrays.stream(x).map(v -> v + 0.05).toArray()).categorical("c", c).build();
        DriftDetector retained = DriftDetector.builder(ref).build();
        DriftDetector lean = DriftDetector.builder(ref).retainSortedReference(false).build();
        String expected = withoutTimestamp(retained.detect(cur).toJson());
        assertThat(withoutTimestamp(lean.detect(cur).toJson())).isEqualTo(expected);
        assertThat(withoutTimestamp(lean.detect(cur).toJson())).isEqualTo(expected);
        assertThat(lean.profile().toJson()).isEqualTo(retained.profile().toJson());
    }

    /**
     * Large columns go through reused buffers (one column's values while it is evaluated): detectors
     * used from several threads at once, lean and not, with and without missing values, give the
     * reports a lone detector gives.
     */
    @Test
    void reusedColumnBuffersNeverMixColumnsOrCallers() throws Exception {
        Random r = new Random(8);
        int rows = 50_000; // above the size from which buffers are reused
        Dataset.Builder refBuilder = Dataset.builder();
        Dataset.Builder curBuilder = Dataset.builder();
        for (int c = 0; c < 6; c++) {
            double[] a = new double[rows];
            double[] b = new double[rows];
            for (int i = 0; i < rows; i++) {
                a[i] = c % 2 == 0 && i % 97 == 0 ? Double.NaN : r.nextGaussian() * (c + 1);
                b[i] = r.nextGaussian() * (c + 1) + (c % 3 == 0 ? 0.1 : 0);
            }
            refBuilder.numeric("x" + c, a);
            curBuilder.numeric("x" + c, b);
        }
        Dataset ref = refBuilder.build();
        Dataset cur = curBuilder.build();
        String expected = withoutTimestamp(DriftDetector.builder(ref).build().detect(cur).toJson());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<String>> reports = new java.util.ArrayList<>();
            for (int k = 0; k < 12; k++) {
                boolean lean = k % 2 == 0;
                reports.add(pool.submit(() -> withoutTimestamp(DriftDetector.builder(ref).retainSortedReference(!lean).build()
                        .detect(cur).toJson())));
            }
            for (java.util.concurrent.Future<String> report : reports) {
                assertThat(report.get()).isEqualTo(expected);
            }
            // one detector whose sorted reference copies are made by whichever check needs them first
            DriftDetector shared = DriftDetector.builder(ref).build();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<String>> together = new java.util.ArrayList<>();
            for (int k = 0; k < 8; k++) {
                together.add(pool.submit(() -> {
                    start.await();
                    return withoutTimestamp(shared.detect(cur).toJson());
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<String> report : together) {
                assertThat(report.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void settingsAreValidated() {
        Dataset ref = Dataset.builder().numeric("x", new double[] {1, 2}).categorical("c", new String[] {"a", "b"}).build();
        assertThatThrownBy(() -> DriftDetector.builder(ref).significance(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("significance must be in (0, 1) but was 0.0");
        assertThatThrownBy(() -> DriftDetector.builder(ref).statTest("x", StatTest.CHI_SQUARE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not apply to NUMERIC column 'x'");
        assertThatThrownBy(() -> DriftDetector.builder(ref).statTest("nope", StatTest.PSI).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no column 'nope'");
        assertThatThrownBy(() -> DriftDetector.builder(ref).psiBins(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void historyIsBounded() {
        Dataset ref = Dataset.builder().numeric("x", new double[] {1, 2, 3}).build();
        DriftDetector d = DriftDetector.builder(ref).historySize(2).build();
        DriftReport a = d.detect(ref);
        DriftReport b = d.detect(ref);
        DriftReport c = d.detect(ref);
        assertThat(d.history()).containsExactly(b, c).doesNotContain(a);
    }

    @Test
    void jsonAndHtmlReportsAreComplete() throws Exception {
        DriftReport report = DriftDetector.builder(resource("reference.csv")).build().detect(resource("current.csv"));
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertThat(json.get("drift_detected").asBoolean()).isTrue();
        assertThat(json.at("/summary/numerical_drifts/0").asText()).isEqualTo("feature1");
        assertThat(json.at("/features/feature1/stats/ks_pvalue").asDouble()).isLessThan(1e-10);
        assertThat(json.at("/features/category2/stats/chi_square_pvalue").asDouble()).isGreaterThan(0.05);
        assertThat(json.at("/features/feature1/decision/test").asText()).isEqualTo("KOLMOGOROV_SMIRNOV");
        assertThat(json.at("/features/feature1/missing/reference_share").asDouble()).isZero();
        // categorical proportions for the charts: every category of both sides, shares summing to 1
        CategoryShares shares = report.categoryShares().get("category1");
        assertThat(shares.categories()).isNotEmpty();
        assertThat(java.util.Arrays.stream(shares.reference()).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(java.util.Arrays.stream(shares.current()).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(report.categoryShares()).doesNotContainKey("feature1");

        String html = report.toHtml();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("PSI per feature")
                .contains("p-value per feature").contains("Drifted vs not drifted").contains("PSI level")
                .contains("Reference vs current").contains("share of rows").contains("feature1 (value)")
                .contains("drifted categorical features").contains("by category")
                .doesNotContain("<script", "<link", "src=", "href=", "url(");
        // one verdict per row, the same as the report's: never "severity high" beside "drift no"
        for (FeatureDrift f : report.features().values()) {
            java.util.regex.Matcher row = java.util.regex.Pattern.compile("<tr[^>]*><td>" + java.util.regex.Pattern.quote(f.feature())
                    + "</td><td class=\"verdict\">([^<]*)</td>").matcher(html);
            assertThat(row.find()).as("row of %s", f.feature()).isTrue();
            assertThat(row.group(1)).isEqualTo(f.driftDetected() ? "DRIFT" : f.status() == FeatureDrift.Status.EVALUATED ? "no drift"
                    : f.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            String rowHtml = html.substring(row.start(), html.indexOf("</tr>", row.start()));
            assertThat(rowHtml.split("class=\"verdict\"", -1)).as("one verdict cell in %s", rowHtml).hasSize(2);
            assertThat(rowHtml).doesNotContain(">yes<", ">no<");
        }
    }

    @Test
    void manyCategoriesKeepTheLargestAndSumTheRestAsOther() {
        java.util.List<String> names = new java.util.ArrayList<>();
        double[] p = new double[30];
        double[] q = new double[30];
        for (int i = 0; i < 30; i++) {
            names.add("c" + i);
            p[i] = (i + 1) / 465.0;       // 1..30 over their sum
            q[i] = (30 - i) / 465.0;
        }
        CategoryShares s = CategoryShares.of(names, p, q);
        assertThat(s.categories()).hasSize(CategoryShares.MAX_CATEGORIES).endsWith(CategoryShares.OTHER);
        assertThat(s.categories().subList(0, 2)).containsExactlyInAnyOrder("c0", "c29");
        assertThat(java.util.Arrays.stream(s.reference()).sum()).isCloseTo(1.0, within(1e-12));
        assertThat(java.util.Arrays.stream(s.current()).sum()).isCloseTo(1.0, within(1e-12));
        CategoryShares few = CategoryShares.of(java.util.List.of("a", "b"), new double[] {0.25, 0.75}, new double[] {0.5, 0.5});
        assertThat(few.categories()).containsExactly("b", "a");
    }

    @Test
    void htmlEscapesFeatureNames() {
        Dataset ref = Dataset.builder().numeric("<img src=x onerror=alert(1)>", new double[] {1, 2, 3}).build();
        String html = DriftDetector.builder(ref).build().detect(ref).toHtml();
        assertThat(html).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;");
    }

    @Test
    void aProfileOfMoreThanTwoBillionValuesIsChecked() throws Exception {
        // a profile made by Spark or from Parquet may count beyond int: its p-values need the count, not an int
        Random r = new Random(3);
        double[] x = new double[5_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        ObjectMapper json = io.mlops.core.Json.mapper();
        com.fasterxml.jackson.databind.node.ObjectNode p = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                ReferenceProfile.of(Dataset.builder().numeric("x", x).build(), 10).toJson());
        long huge = 3_000_000_000L;
        p.put("rowCount", huge);
        ((com.fasterxml.jackson.databind.node.ObjectNode) p.get("columns").get(0)).put("count", huge);
        DriftReport report = DriftDetector.builder(ReferenceProfile.fromJson(json.writeValueAsString(p))).build()
                .detect(Dataset.builder().numeric("x", Arrays.copyOf(x, 2_000)).build());
        assertThat(report.referenceRows()).isEqualTo(huge);
        assertThat(report.features().get("x").driftDetected()).isFalse();
    }

    @Test
    void aProfileOfTheCurrentDataGivesTheReportOfTheData() {
        Random r = new Random(8);
        int n = 30_000;
        double[] a = new double[n];
        double[] b = new double[n];
        String[] c = new String[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(30) == 0 ? Double.NaN : r.nextGaussian();
            b[i] = r.nextDouble();
            c[i] = r.nextInt(20) == 0 ? null : "k" + r.nextInt(7);
        }
        Dataset reference = Dataset.builder().numeric("a", a).numeric("b", b).categorical("c", c).build();
        for (double shift : new double[] {0, 0.05, 0.5}) {
            double[] a2 = new double[n / 2];
            double[] b2 = new double[n / 2];
            String[] c2 = new String[n / 2];
            for (int i = 0; i < n / 2; i++) {
                a2[i] = r.nextInt(30) == 0 ? Double.NaN : r.nextGaussian() + shift;
                b2[i] = r.nextDouble();
                c2[i] = r.nextInt(20) == 0 ? null : "k" + r.nextInt(shift > 0.1 ? 6 : 7);
            }
            Dataset current = Dataset.builder().numeric("a", a2).numeric("b", b2).categorical("c", c2).build();
            DriftDetector detector = DriftDetector.builder(reference).build();
            DriftReport fromData = detector.detect(current);
            DriftReport fromValues = detector.detect(ReferenceProfile.of(current, 10));
            DriftReport fromSummary = detector.detect(ReferenceProfile.fromJson(ReferenceProfile.of(current, 10).toJson()));

            assertThat(fromValues.features()).as("shift " + shift).isEqualTo(fromData.features());
            assertThat(fromValues.currentRows()).isEqualTo(n / 2);
            assertThat(fromData.currentRankErrors()).isEmpty();
            assertThat(fromSummary.currentRankErrors()).as("a summary of exact points").isEmpty();
            assertThat(fromSummary.driftedFeatures()).as("shift " + shift).isEqualTo(fromData.driftedFeatures());
            int points = (int) Math.ceil(16 * Math.sqrt(n / 2.0));
            for (String f : new String[] {"a", "b"}) {
                FeatureDrift.NumericStats x = (FeatureDrift.NumericStats) fromData.features().get(f).stats();
                FeatureDrift.NumericStats y = (FeatureDrift.NumericStats) fromSummary.features().get(f).stats();
                assertThat(y.ksStatistic()).as(f).isCloseTo(x.ksStatistic(), within(1.0 / points + 1e-12));
                assertThat(y.currentMean()).as(f).isCloseTo(x.currentMean(), within(1e-12));
            }
            assertThat(fromSummary.features().get("c")).isEqualTo(fromData.features().get("c"));
        }
    }

    @Test
    void sketchedSidesDoNotCallTheirOwnRankErrorDrift() throws Exception {
        // two samples of one distribution, profiled as if by sketches of a billion rows each (rank error 0.01):
        // at such counts the exact test sees D = 0.005 as drift, but the sketches alone could have made it
        Random r = new Random(12);
        ObjectMapper json = io.mlops.core.Json.mapper();
        String[] profiles = new String[3];
        for (int k = 0; k < 3; k++) {
            double[] x = new double[50_000];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian() + (k == 2 ? 0.2 : 0);
            }
            com.fasterxml.jackson.databind.node.ObjectNode p = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                    ReferenceProfile.of(Dataset.builder().numeric("x", x).build(), 10).toJson());
            p.put("rowCount", 1_000_000_000L);
            ((com.fasterxml.jackson.databind.node.ObjectNode) p.get("columns").get(0)).put("count", 1_000_000_000L).put("rankError", 0.01);
            profiles[k] = json.writeValueAsString(p);
        }
        DriftDetector detector = DriftDetector.builder(ReferenceProfile.fromJson(profiles[0])).build();
        DriftReport same = detector.detect(ReferenceProfile.fromJson(profiles[1]));
        DriftReport shifted = detector.detect(ReferenceProfile.fromJson(profiles[2]));

        FeatureDrift.NumericStats s = (FeatureDrift.NumericStats) same.features().get("x").stats();
        assertThat(s.ksStatistic()).as("D between the samples").isGreaterThan(0.001).isLessThan(0.02);
        assertThat(same.driftedFeatures()).isEmpty();
        assertThat(shifted.driftedFeatures()).containsExactly("x");
        assertThat(same.referenceRankErrors()).containsEntry("x", 0.01);
        assertThat(same.currentRankErrors()).containsEntry("x", 0.01);
        assertThat(same.toJson()).contains("current_rank_errors");
        assertThat(same.toHtml()).contains("Current quantiles estimated by a sketch");
    }
}
