package io.mlops.benchmarks;

import io.mlops.monitor.EstimatedPerformance;
import io.mlops.monitor.PerformanceEstimator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * CBPE: calibrating on a labelled reference of 100,000 predictions, and estimating the performance
 * of a window of 100,000 unlabelled ones (calibration, expected confusion matrix, expected ROC AUC).
 *
 * <pre>
 * java -jar mlops-benchmarks/target/benchmarks.jar CbpeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class CbpeBenchmark {

    static final int ROWS = 100_000;

    double[] referenceScores;
    int[] referenceLabels;
    double[] window;
    PerformanceEstimator cbpe;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(3);
        referenceScores = new double[ROWS];
        referenceLabels = new int[ROWS];
        window = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            double s = r.nextDouble();
            referenceScores[i] = s;
            referenceLabels[i] = r.nextDouble() < s * s ? 1 : 0; // scores not calibrated: calibration matters
            window[i] = Math.min(1, r.nextDouble() * 1.2);
        }
        cbpe = PerformanceEstimator.cbpe(referenceScores, referenceLabels);
    }

    @Benchmark
    public PerformanceEstimator calibrate() {
        return PerformanceEstimator.cbpe(referenceScores, referenceLabels);
    }

    @Benchmark
    public EstimatedPerformance estimate() {
        return cbpe.estimate(window);
    }
}
