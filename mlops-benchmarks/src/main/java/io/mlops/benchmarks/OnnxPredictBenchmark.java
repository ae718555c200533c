package io.mlops.benchmarks;

import io.mlops.onnx.OnnxModel;
import io.mlops.serving.Prediction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code OnnxModel} in process, the chapter's serving model (StandardScaler + 50-tree random forest,
 * {@code mlops-onnx/src/test/resources/models/chapter_forest.onnx}; run from the repository root or
 * pass {@code -Dmodel=PATH}): one named instance, and 1,000 instances as one batched tensor call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class OnnxPredictBenchmark {

    OnnxModel model;
    Map<String, Object> one;
    List<Map<String, Object>> thousand;

    @Setup
    public void setUp() {
        model = OnnxModel.load(Path.of(System.getProperty("model", "mlops-onnx/src/test/resources/models/chapter_forest.onnx")));
        one = Map.of("feature_0", 1.5, "feature_1", -0.5, "feature_2", 2.0, "feature_3", 0.0, "feature_4", -1.0);
        SplittableRandom random = new SplittableRandom(3);
        thousand = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            thousand.add(Map.of("feature_0", random.nextGaussian(), "feature_1", random.nextGaussian(), "feature_2",
                    random.nextGaussian(), "feature_3", random.nextGaussian(), "feature_4", random.nextGaussian()));
        }
    }

    @TearDown
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public Prediction predictOne() {
        return model.predict(one);
    }

    @Benchmark
    public List<Prediction> predictBatchOf1000() {
        return model.predictBatch(thousand);
    }
}
