package io.mlops.benchmarks;

import io.mlops.onnx.OnnxModel;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A server of many models for load tests: the chapter's forest registered under 30 names
 * (m00..m29), served by one {@code ModelServer.Builder.models(...)} server, optionally under a
 * memory budget of N models:
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.ServeManyModels 8099 [N] &amp;
 * wrk -t2 -c16 -d20s --latency -s mlops-benchmarks/src/main/resources/many_models_zipf.lua http://127.0.0.1:8099 [-- one]
 * </pre>
 */
public final class ServeManyModels {

    private ServeManyModels() {
    }

    /**
     * @param args the port (default 8099), and the memory budget in models (default all 30)
     * @throws Exception when the model cannot be read
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8099;
        Path root = Files.createTempDirectory("mlops-serve-many");
        ModelRegistry registry = ModelRegistry.fileSystem(root);
        byte[] bytes = Files.readAllBytes(Path.of(System.getProperty("model", "mlops-onnx/src/test/resources/models/chapter_forest.onnx")));
        for (int i = 0; i < 30; i++) {
            String name = String.format("m%02d", i);
            registry.register(name).version("1.0.0").artifact(bytes).save();
            registry.setAlias(name, "production", "1.0.0");
        }
        ModelServer.Builder b = ModelServer.builder().models(registry, "production", OnnxModel.loader()).port(port);
        if (args.length > 1) {
            b.memoryBudget(Long.parseLong(args[1]) * bytes.length);
        }
        ModelServer server = b.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            try {
                BenchData.deleteTree(root);
            } catch (java.io.IOException ignored) {
                // a temporary folder
            }
        }));
        System.out.println("listening " + server.port());
        new CountDownLatch(1).await();
    }
}
