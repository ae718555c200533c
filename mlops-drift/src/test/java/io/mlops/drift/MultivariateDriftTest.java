package io.mlops.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.core.Dataset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * PCA reconstruction drift: it finds a correlation that flips while every feature's own distribution
 * stays the same (which the per-feature tests miss), keeps its false-alarm rate on unchanged data,
 * and agrees with an independent numpy computation (SVD, explicit reconstruction) to 1e-9.
 */
class MultivariateDriftTest {

    @TempDir
    Path dir;

    /** x1, x2 standard normal with correlation rho; x3..x6 independent normal; some values missing. */
    static Dataset data(int n, double rho, long seed, boolean missing) {
        Random r = new Random(seed);
        double[][] cols = new double[6][n];
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            cols[0][i] = a;
            cols[1][i] = rho * a + Math.sqrt(1 - rho * rho) * b;
            for (int j = 2; j < 6; j++) {
                cols[j][i] = r.nextGaussian() * (j + 1) + j;
            }
            if (missing && i % 97 == 0) {
                cols[3][i] = Double.NaN;
            }
        }
        Dataset.Builder d = Dataset.builder();
        for (int j = 0; j < 6; j++) {
            d.numeric("x" + (j + 1), cols[j]);
        }
        return d.categorical("segment", new String[n]).build();
    }

    @Test
    void aFlippedCorrelationIsFoundWhereEveryPerFeatureTestSeesNothing() {
        Dataset reference = data(20_000, 0.9, 1, false);
        Dataset current = data(2_000, -0.9, 2, false);
        MultivariateDrift pca = Multivariate.pcaReconstruction().fit(reference);
        assertThat(pca.features()).containsExactly("x1", "x2", "x3", "x4", "x5", "x6");
        MultivariateDrift.Result r = pca.detect(current);
        assertThat(r.driftDetected()).as("%s", r).isTrue();
        assertThat(r.value()).isGreaterThan(r.upper());

        DriftReport univariate = DriftDetector.builder(reference).correction(Correction.BONFERRONI).build().detect(current);
        assertThat(univariate.driftedFeatures()).as("every marginal is unchanged").isEmpty();
    }

    @Test
    void theDetectorReportsItBesideThePerFeatureVerdicts() throws Exception {
        Dataset reference = data(20_000, 0.9, 1, false);
        Dataset current = data(2_000, -0.9, 2, false);
        DriftDetector detector = DriftDetector.builder(reference).correction(Correction.BONFERRONI).target("x6")
                .multivariate(Multivariate.pcaReconstruction()).build();
        DriftReport report = detector.detect(current);
        assertThat(report.driftDetected()).as("no feature drifted on its own").isFalse();
        assertThat(report.multivariate()).isNotNull();
        assertThat(report.multivariate().driftDetected()).isTrue();
        // the target is not one of the features it watches: the same as fitting on the features alone
        Dataset features = Dataset.builder().numeric("x1", reference.numeric("x1")).numeric("x2", reference.numeric("x2"))
                .numeric("x3", reference.numeric("x3")).numeric("x4", reference.numeric("x4"))
                .numeric("x5", reference.numeric("x5")).build();
        assertThat(report.multivariate().value()).isCloseTo(Multivariate.pcaReconstruction().fit(features).detect(current)
                .value(), within(1e-12));
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertThat(json.at("/multivariate/method").asText()).isEqualTo("pca_reconstruction");
        assertThat(json.at("/multivariate/drift_detected").asBoolean()).isTrue();
        assertThat(json.at("/multivariate/reference_value").isNumber()).isTrue();
        assertThat(new ObjectMapper().readTree(DriftDetector.builder(reference).build().detect(current).toJson())
                .get("multivariate").isNull()).isTrue();
        // a profile has no rows to fit on; a profile as the current side has none to judge
        assertThatThrownBy(() -> DriftDetector.builder(detector.profile()).multivariate(Multivariate.pcaReconstruction())
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("reference rows");
        assertThat(detector.detect(DriftDetector.builder(current).build().profile()).multivariate()).isNull();
    }

    @Test
    void unchangedDataKeepsTheFalseAlarmRate() {
        MultivariateDrift pca = Multivariate.pcaReconstruction().fit(data(20_000, 0.9, 1, false));
        int alarms = 0;
        for (int run = 0; run < 300; run++) {
            if (pca.detect(data(1_000, 0.9, 100 + run, false)).driftDetected()) {
                alarms++;
            }
        }
        // 3 standard errors two-sided: 0.27%, 0.8 expected of 300; at most 5 (P(X >= 6) < 0.1% for Poisson 0.8)
        assertThat(alarms).isLessThanOrEqualTo(5);
    }

    @Test
    void agreesWithAnIndependentNumpyComputation() throws Exception {
        Assumptions.assumeTrue(numpy(), "SKIPPED: /usr/bin/python3 with numpy (Debian python3-numpy) not installed");
        Dataset reference = data(5_000, 0.6, 3, true);
        Dataset current = data(700, 0.2, 4, true);
        reference.writeCsv(dir.resolve("reference.csv"));
        current.toBuilder().build().writeCsv(dir.resolve("current.csv"));
        for (double explained : new double[] {0.65, 0.9}) {
            MultivariateDrift pca = Multivariate.pcaReconstruction().explainedVariance(explained).thresholdSd(2.5).fit(reference);
            MultivariateDrift.Result r = pca.detect(current);
            JsonNode py = python(dir.resolve("reference.csv"), dir.resolve("current.csv"), explained, 2.5);
            assertThat(pca.components()).isEqualTo(py.get("components").asInt());
            assertThat(r.referenceValue()).isCloseTo(py.get("reference_mean").asDouble(), within(1e-9));
            assertThat(r.value()).isCloseTo(py.get("value").asDouble(), within(1e-9));
            assertThat(r.lower()).isCloseTo(py.get("lower").asDouble(), within(1e-9));
            assertThat(r.upper()).isCloseTo(py.get("upper").asDouble(), within(1e-9));
        }
    }

    @Test
    void theDomainClassifierFindsTheFlippedCorrelationAndKeepsItsRateOnUnchangedData() {
        Dataset reference = data(20_000, 0.9, 1, false);
        MultivariateDrift classifier = Multivariate.domainClassifier().fit(reference);
        MultivariateDrift.Result flipped = classifier.detect(data(1_000, -0.9, 2, false));
        assertThat(flipped.driftDetected()).as("%s", flipped).isTrue();
        assertThat(flipped.method()).isEqualTo("domain_classifier");
        assertThat(flipped.value()).as("AUC").isGreaterThan(flipped.upper()).isGreaterThan(0.6);
        assertThat(classifier.detect(data(1_000, -0.9, 2, false))).as("seeded: the same verdict").isEqualTo(flipped);
        int alarms = 0;
        for (int run = 0; run < 60; run++) {
            MultivariateDrift.Result r = classifier.detect(data(1_000, 0.9, 300 + run, false));
            alarms += r.driftDetected() ? 1 : 0;
            assertThat(r.value()).as("AUC of unchanged data").isBetween(0.4, 0.6);
        }
        // significance 0.01: 0.6 expected of 60; at most 4 (P(X >= 5) < 0.1% for Poisson 0.6)
        assertThat(alarms).isLessThanOrEqualTo(4);
        DriftReport report = DriftDetector.builder(reference).multivariate(Multivariate.domainClassifier()).build()
                .detect(data(1_000, -0.9, 2, false));
        assertThat(report.multivariate().driftDetected()).isTrue();
        assertThatThrownBy(() -> Multivariate.domainClassifier().explainedVariance(0.5)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theDomainClassifiersAucIsMannWhitneys() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        int m = 300;
        int k = 7;
        int[][] near = new int[m][k];
        boolean[] current = new boolean[m];
        for (int i = 0; i < m; i++) {
            current[i] = r.nextBoolean();
            for (int j = 0; j < k; j++) {
                near[i][j] = r.nextInt(m);
            }
        }
        double[] score = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j : near[i]) {
                score[i] += current[j] ? 1 : 0;
            }
        }
        double wins = 0;
        long pairs = 0;
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                if (current[a] && !current[b]) {
                    wins += score[a] > score[b] ? 1 : score[a] == score[b] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        assertThat(io.mlops.drift.internal.DomainClassifier.auc(near, current)).isCloseTo(wins / pairs, within(1e-12));
    }

    @Test
    void badInputIsRefusedSayingWhy() {
        Dataset one = Dataset.builder().numeric("x", new double[] {1, 2, 3}).numeric("c", new double[] {5, 5, 5}).build();
        assertThatThrownBy(() -> Multivariate.pcaReconstruction().fit(one)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least two numeric columns");
        Dataset fewRows = Dataset.builder().numeric("a", new double[] {1, 2}).numeric("b", new double[] {2, 1}).build();
        assertThatThrownBy(() -> Multivariate.pcaReconstruction().fit(fewRows)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more rows than columns");
        MultivariateDrift pca = Multivariate.pcaReconstruction().fit(data(1_000, 0.5, 1, false));
        Dataset lacking = Dataset.builder().numeric("x1", new double[] {1}).build();
        assertThatThrownBy(() -> pca.detect(lacking)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x2'");
        assertThatThrownBy(() -> Multivariate.pcaReconstruction().explainedVariance(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Multivariate.pcaReconstruction().thresholdSd(0)).isInstanceOf(IllegalArgumentException.class);
    }

    static boolean numpy() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import numpy").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static JsonNode python(Path reference, Path current, double explained, double k) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "src/test/resources/python/pca_reconstruction.py",
                reference.toString(), current.toString(), Double.toString(explained), Double.toString(k))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return new ObjectMapper().readTree(out);
    }
}
