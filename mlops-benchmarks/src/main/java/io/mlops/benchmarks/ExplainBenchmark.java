package io.mlops.benchmarks;

import io.mlops.onnx.OnnxModel;
import io.mlops.serving.Explainer;
import io.mlops.serving.Explanation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Explaining one prediction of the chapter's model (a scikit-learn pipeline: StandardScaler and a
 * 50-tree random forest of 7,526 nodes, its graph built by {@code make_models.py}; 5 features): exact TreeSHAP with 200
 * background rows, and Kernel SHAP of the same model through ONNX Runtime (every coalition of the
 * 5 features, 30 background rows: 30 x 30 predictions in batches of 30), for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ExplainBenchmark {

    OnnxModel model;
    Explainer tree;
    Explainer kernel;
    List<Map<String, Object>> rows;
    int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        // run from the repository root, or -Dmodel=PATH
        model = OnnxModel.load(java.nio.file.Path.of(System.getProperty("model", "mlops-onnx/src/test/resources/models/chapter_forest.onnx")));
        Random r = new Random(1);
        rows = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String f : model.features()) {
                row.put(f, r.nextGaussian());
            }
            rows.add(row);
        }
        tree = model.explainer(rows.subList(0, 200));
        kernel = Explainer.kernelShap(model, rows.subList(0, 30));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public Explanation treeShap() {
        return tree.explain(rows.get(next++ % rows.size()));
    }

    @Benchmark
    public Explanation kernelShap() {
        return kernel.explain(rows.get(next++ % rows.size()));
    }
}
