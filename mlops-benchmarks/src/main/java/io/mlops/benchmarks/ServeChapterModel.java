package io.mlops.benchmarks;

import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.onnx.OnnxModel;
import io.mlops.serving.ModelServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The chapter's own serving model (section 2.1: StandardScaler + a 50-tree random forest, exported
 * to ONNX by {@code mlops-onnx/src/test/python/make_models.py}) behind a {@code ModelServer}, every
 * request logged to a SQLite monitor, for load tests side by side with {@code bin/reference-serving}:
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.ServeChapterModel 8099 &amp;
 * wrk -t2 -c16 -d20s --latency -s mlops-benchmarks/src/main/resources/chapter_predict.lua http://127.0.0.1:8099/predict
 * wrk -t2 -c16 -d20s --latency -s mlops-benchmarks/src/main/resources/chapter_infer.lua http://127.0.0.1:8099/v2/models/chapter/infer
 * </pre>
 *
 * With {@code -Dbatch=N} (and {@code -DbatchDelayMicros=D}) the server batches concurrent requests
 * ({@code Batching.dynamic().maxSize(N).maxDelay(D)}).
 */
public final class ServeChapterModel {

    private ServeChapterModel() {
    }

    /**
     * @param args the port (default 8099), the model file (default the test model of mlops-onnx), and
     *     {@code no-monitor} to serve without logging to a monitor
     * @throws Exception when the model cannot be read
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8099;
        Path model = Path.of(args.length > 1 ? args[1] : "mlops-onnx/src/test/resources/models/chapter_forest.onnx");
        Path dir = Files.createTempDirectory("mlops-serve-chapter");
        boolean monitored = args.length < 3 || !args[2].equals("no-monitor");
        ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.sqlite(dir.resolve("monitor.db"))).build();
        OnnxModel onnx = OnnxModel.load(model);
        ModelServer.Builder builder = ModelServer.builder().predictor(onnx).modelName("chapter").modelVersion("2.0.0").port(port);
        if (Integer.getInteger("threads") != null) {
            builder.threads(Integer.getInteger("threads"));
        }
        if (Integer.getInteger("batch") != null) { // -Dbatch=64 [-DbatchDelayMicros=500]: dynamic batching
            builder.batching(io.mlops.serving.Batching.dynamic().maxSize(Integer.getInteger("batch"))
                    .maxDelay(java.time.Duration.ofNanos(1_000L * Integer.getInteger("batchDelayMicros", 0))));
        }
        ModelServer server = (monitored ? builder.monitor(monitor) : builder).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            onnx.close();
            monitor.close();
        }));
        System.out.println("listening " + server.port());
        new CountDownLatch(1).await();
    }
}
