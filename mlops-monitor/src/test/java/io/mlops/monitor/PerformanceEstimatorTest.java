package io.mlops.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * CBPE on three scikit-learn datasets (a logistic regression's scores; the analysis part shifted
 * across its chunks), against an independent Python computation of the method from its published
 * description ({@code src/test/python/generate_cbpe.py}, scikit-learn 1.2.1's isotonic regression,
 * committed with its output): every estimated metric and standard error to 1e-9, the realised
 * metrics too; and the estimates within two standard errors of the realised values in most chunks
 * (measured: accuracy 14 of 14, ROC AUC 13 of 14). Multiclass (3 synthetic classes; the ten digits):
 * every estimate to 1e-9, the accuracy within two standard errors in 11 of 11 chunks. Regressors
 * (direct loss estimation, a k-nearest-neighbours nanny; {@code src/test/python/generate_dle.py}
 * with scikit-learn's KNeighborsRegressor): MAE, RMSE and their errors to 1e-9 on three datasets.
 */
class PerformanceEstimatorTest {

    static final Path DIR = Path.of("src/test/resources/cbpe");

    record Data(double[] refScores, int[] refLabels, Map<Integer, double[]> chunkScores, Map<Integer, int[]> chunkLabels) {
    }

    static Data read(String name) throws Exception {
        List<Double> rs = new ArrayList<>();
        List<Integer> rl = new ArrayList<>();
        Map<Integer, List<double[]>> chunks = new TreeMap<>();
        List<String> lines = Files.readAllLines(DIR.resolve(name + ".csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double score = Double.parseDouble(f[2]);
            int label = Integer.parseInt(f[3]);
            if (f[0].equals("reference")) {
                rs.add(score);
                rl.add(label);
            } else {
                chunks.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(new double[] {score, label});
            }
        }
        Map<Integer, double[]> cs = new TreeMap<>();
        Map<Integer, int[]> cl = new TreeMap<>();
        chunks.forEach((c, rows) -> {
            cs.put(c, rows.stream().mapToDouble(r -> r[0]).toArray());
            cl.put(c, rows.stream().mapToInt(r -> (int) r[1]).toArray());
        });
        return new Data(rs.stream().mapToDouble(Double::doubleValue).toArray(), rl.stream().mapToInt(Integer::intValue).toArray(),
                cs, cl);
    }

    static void close(double actual, JsonNode expected, String what) {
        if (expected.isNull()) {
            assertThat(actual).as(what).isNaN();
        } else {
            assertThat(actual).as(what).isCloseTo(expected.asDouble(), within(1e-9));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"synthetic", "breast_cancer", "digits"})
    void agreesWithTheIndependentPythonComputation(String name) throws Exception {
        Data d = read(name);
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve(name + ".json").toFile());
        PerformanceEstimator cbpe = PerformanceEstimator.cbpe(d.refScores(), d.refLabels());
        for (JsonNode c : expected.get("chunks")) {
            int chunk = c.get("chunk").asInt();
            String at = name + " chunk " + chunk;
            EstimatedPerformance e = cbpe.estimate(d.chunkScores().get(chunk));
            JsonNode es = c.get("estimated");
            assertThat(e.rows()).isEqualTo(c.get("rows").asLong());
            close(e.accuracy(), es.get("accuracy"), at + " accuracy");
            close(e.precision(), es.get("precision"), at + " precision");
            close(e.recall(), es.get("recall"), at + " recall");
            close(e.f1(), es.get("f1"), at + " f1");
            close(e.rocAuc(), es.get("roc_auc"), at + " roc_auc");
            close(e.accuracyError(), es.get("accuracy_error"), at + " accuracy error");
            close(e.rocAucError(), es.get("roc_auc_error"), at + " roc_auc error");
            EstimatedPerformance r = PerformanceEstimator.realised(d.chunkScores().get(chunk), d.chunkLabels().get(chunk), 0.5);
            JsonNode rs = c.get("realised");
            close(r.accuracy(), rs.get("accuracy"), at + " realised accuracy");
            close(r.f1(), rs.get("f1"), at + " realised f1");
            close(r.rocAuc(), rs.get("roc_auc"), at + " realised roc_auc");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"synthetic_3", "digits_10"})
    void multiclassAgreesWithTheIndependentPythonComputation(String name) throws Exception {
        List<String> lines = Files.readAllLines(DIR.resolve(name + ".csv"));
        List<double[]> refScores = new ArrayList<>();
        List<Integer> refLabels = new ArrayList<>();
        Map<Integer, List<double[]>> chunkScores = new TreeMap<>();
        Map<Integer, List<Integer>> chunkLabels = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double[] row = new double[f.length - 3];
            for (int c = 0; c < row.length; c++) {
                row[c] = Double.parseDouble(f[3 + c]);
            }
            if (f[0].equals("reference")) {
                refScores.add(row);
                refLabels.add(Integer.parseInt(f[2]));
            } else {
                chunkScores.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(row);
                chunkLabels.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(Integer.parseInt(f[2]));
            }
        }
        PerformanceEstimator cbpe = PerformanceEstimator.cbpe(refScores.toArray(new double[0][]),
                refLabels.stream().mapToInt(Integer::intValue).toArray());
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve(name + ".json").toFile());
        int inside = 0;
        for (JsonNode c : expected.get("chunks")) {
            int chunk = c.get("chunk").asInt();
            String at = name + " chunk " + chunk;
            EstimatedPerformance e = cbpe.estimate(chunkScores.get(chunk).toArray(new double[0][]));
            JsonNode es = c.get("estimated");
            close(e.accuracy(), es.get("accuracy"), at + " accuracy");
            close(e.precision(), es.get("precision"), at + " precision");
            close(e.recall(), es.get("recall"), at + " recall");
            close(e.f1(), es.get("f1"), at + " f1");
            close(e.rocAuc(), es.get("roc_auc"), at + " roc_auc");
            close(e.accuracyError(), es.get("accuracy_error"), at + " accuracy error");
            inside += Math.abs(e.accuracy() - c.at("/realised/accuracy").asDouble()) <= 2 * e.accuracyError() ? 1 : 0;
        }
        assertThat(inside).as("chunks whose realised accuracy is within 2 standard errors").isGreaterThanOrEqualTo(
                expected.get("chunks").size() * 8 / 10);
        assertThatThrownBy(() -> cbpe.estimate(new double[] {0.5})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cbpe.estimate(new double[][] {{0.5, 0.5}})).hasMessageContaining("classes");
    }

    @Test
    void estimatesFallWithinTheirSamplingErrorOfTheRealisedValuesInMostChunks() throws Exception {
        int inside = 0;
        int aucIn = 0;
        int total = 0;
        for (String name : List.of("synthetic", "breast_cancer", "digits")) {
            Data d = read(name);
            PerformanceEstimator cbpe = PerformanceEstimator.cbpe(d.refScores(), d.refLabels());
            for (int chunk : d.chunkScores().keySet()) {
                EstimatedPerformance e = cbpe.estimate(d.chunkScores().get(chunk));
                EstimatedPerformance r = PerformanceEstimator.realised(d.chunkScores().get(chunk), d.chunkLabels().get(chunk),
                        0.5);
                total++;
                inside += Math.abs(e.accuracy() - r.accuracy()) <= 2 * e.accuracyError() ? 1 : 0;
                aucIn += Math.abs(e.rocAuc() - r.rocAuc()) <= 2 * e.rocAucError() ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "CBPE within 2 standard errors of the realised value: accuracy %d of %d chunks, ROC AUC %d"
                + " of %d%n", inside, total, aucIn, total);
        assertThat(inside).isGreaterThanOrEqualTo(total * 8 / 10);
        assertThat(aucIn).isGreaterThanOrEqualTo(total * 8 / 10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"heteroscedastic", "friedman", "diabetes"})
    void directLossEstimationAgreesWithTheIndependentPythonComputation(String name) throws Exception {
        Path dle = Path.of("src/test/resources/dle");
        List<String> lines = Files.readAllLines(dle.resolve(name + ".csv"));
        List<double[]> refX = new ArrayList<>();
        List<double[]> refYp = new ArrayList<>();
        Map<Integer, List<double[]>> chunkX = new TreeMap<>();
        Map<Integer, List<double[]>> chunkYp = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double[] x = new double[f.length - 4];
            for (int j = 0; j < x.length; j++) {
                x[j] = Double.parseDouble(f[4 + j]);
            }
            double[] yp = {Double.parseDouble(f[2]), Double.parseDouble(f[3])};
            if (f[0].equals("reference")) {
                refX.add(x);
                refYp.add(yp);
            } else {
                chunkX.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(x);
                chunkYp.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(yp);
            }
        }
        PerformanceEstimator estimator = PerformanceEstimator.dle(refX.toArray(new double[0][]),
                refYp.stream().mapToDouble(v -> v[1]).toArray(), refYp.stream().mapToDouble(v -> v[0]).toArray());
        JsonNode expected = new ObjectMapper().readTree(dle.resolve(name + ".json").toFile());
        for (JsonNode c : expected.get("chunks")) {
            int chunk = c.get("chunk").asInt();
            String at = name + " chunk " + chunk;
            double[] predictions = chunkYp.get(chunk).stream().mapToDouble(v -> v[1]).toArray();
            double[] targets = chunkYp.get(chunk).stream().mapToDouble(v -> v[0]).toArray();
            EstimatedLoss e = estimator.estimateLoss(chunkX.get(chunk).toArray(new double[0][]), predictions);
            close(e.mae(), c.at("/estimated/mae"), at + " mae");
            close(e.rmse(), c.at("/estimated/rmse"), at + " rmse");
            close(e.maeError(), c.at("/estimated/mae_error"), at + " mae error");
            close(e.rmseError(), c.at("/estimated/rmse_error"), at + " rmse error");
            EstimatedLoss r = PerformanceEstimator.realisedLoss(predictions, targets);
            close(r.mae(), c.at("/realised/mae"), at + " realised mae");
            close(r.rmse(), c.at("/realised/rmse"), at + " realised rmse");
        }
        assertThatThrownBy(() -> estimator.estimate(new double[] {0.5})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> estimator.estimateLoss(new double[][] {{1}}, new double[] {1})).hasMessageContaining("values");
    }

    @Test
    void badInputIsRefusedSayingWhy() {
        assertThatThrownBy(() -> PerformanceEstimator.cbpe(new double[] {0.1, 0.9}, new int[] {0})).hasMessageContaining("2 scores but 1");
        assertThatThrownBy(() -> PerformanceEstimator.cbpe(new double[] {0.1, 0.9}, new int[] {1, 1}))
                .hasMessageContaining("both classes");
        assertThatThrownBy(() -> PerformanceEstimator.cbpe(new double[] {0.1, 0.9}, new int[] {0, 2})).hasMessageContaining("0 or 1");
        assertThatThrownBy(() -> PerformanceEstimator.cbpe(new double[] {Double.NaN, 0.9}, new int[] {0, 1}))
                .hasMessageContaining("finite");
        PerformanceEstimator cbpe = PerformanceEstimator.cbpe(new double[] {0.1, 0.4, 0.6, 0.9}, new int[] {0, 0, 1, 1});
        assertThatThrownBy(() -> cbpe.estimate(new double[0])).hasMessageContaining("no scores");
        assertThatThrownBy(() -> cbpe.estimate(new double[] {Double.POSITIVE_INFINITY})).hasMessageContaining("finite");
        // one prediction, all negative: precision undefined, no crash
        EstimatedPerformance one = cbpe.estimate(new double[] {0.2});
        assertThat(one.precision()).isNaN();
        assertThat(one.accuracy()).isBetween(0.0, 1.0);
    }
}
