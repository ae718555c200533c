package io.mlops.benchmarks;

import io.mlops.core.Dataset;
import io.mlops.drift.Multivariate;
import io.mlops.drift.MultivariateDrift;
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
 * Multivariate drift on 100,000 rows x 20 correlated numeric features: PCA reconstruction's fit on
 * the reference (standardise, correlation matrix, eigendecomposition, the reference rows' errors) and
 * its judgement of a current dataset of the same size; the domain classifier's judgement (2,000
 * sampled rows a side, 10 nearest neighbours, 199 permutations).
 *
 * <pre>
 * java -jar mlops-benchmarks/target/benchmarks.jar MultivariateBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class MultivariateBenchmark {

    static final int ROWS = 100_000;
    static final int FEATURES = 20;

    Dataset reference;
    Dataset current;
    MultivariateDrift fitted;
    MultivariateDrift classifier;

    static Dataset data(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] cols = new double[FEATURES][ROWS];
        for (int i = 0; i < ROWS; i++) {
            double common = r.nextGaussian();
            for (int j = 0; j < FEATURES; j++) {
                cols[j][i] = (j % 3 == 0 ? common : 0) + r.nextGaussian() * (1 + j * 0.1);
            }
        }
        Dataset.Builder b = Dataset.builder();
        for (int j = 0; j < FEATURES; j++) {
            b.numeric("f" + j, cols[j]);
        }
        return b.build();
    }

    @Setup
    public void setUp() {
        reference = data(1);
        current = data(2);
        fitted = Multivariate.pcaReconstruction().fit(reference);
        classifier = Multivariate.domainClassifier().fit(reference);
    }

    @Benchmark
    public MultivariateDrift.Result domainClassifier() {
        return classifier.detect(current);
    }

    @Benchmark
    public MultivariateDrift fit() {
        return Multivariate.pcaReconstruction().fit(reference);
    }

    @Benchmark
    public MultivariateDrift.Result detect() {
        return fitted.detect(current);
    }
}
