package io.mlops.benchmarks;

import io.mlops.monitor.ModelMonitor;
import io.mlops.serving.ModelServer;
import io.mlops.serving.Prediction;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A server with a trivial model (a threshold on one feature) and a monitor logging every request
 * into a SQLite file in a temp folder, for load tests with an external client:
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.ServeTrivialModel 8099 &amp;
 * wrk -t2 -c16 -d20s --latency -s mlops-benchmarks/src/main/resources/predict.lua http://127.0.0.1:8099/predict
 * </pre>
 */
public final class ServeTrivialModel {

    private ServeTrivialModel() {
    }

    /**
     * @param args the port (default 8099)
     * @throws InterruptedException when interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8099;
        java.nio.file.Path dir;
        try {
            dir = java.nio.file.Files.createTempDirectory("mlops-serve-bench");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ModelMonitor monitor = ModelMonitor.builder()
                .store(io.mlops.monitor.spi.MonitorStore.sqlite(dir.resolve("monitor.db"))).build();
        ModelServer server = ModelServer.builder()
                .predictor(f -> {
                    double tenure = ((Number) f.getOrDefault("tenure_months", 0)).doubleValue();
                    double p = tenure < 12 ? 0.8 : 0.2;
                    return Prediction.of(p >= 0.5 ? 1 : 0, Map.of("1", p, "0", 1 - p));
                })
                .modelName("trivial").modelVersion("1.0.0").monitor(monitor).port(port).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            monitor.close();
        }));
        System.out.println("listening " + server.port());
        new CountDownLatch(1).await();
    }
}
