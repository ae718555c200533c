package io.mlops.benchmarks;

import io.mlops.onnx.OnnxModel;
import io.mlops.serving.ModelServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One large Open Inference Protocol request, end to end over HTTP on loopback: the chapter's ONNX
 * model (5 features) on one {@code [N, 5]} FP32 tensor of {@code rows} rows (100,000 rows = 500,000
 * elements, a 4.4 MB body), read in one streaming pass into a primitive array, handed to ONNX
 * Runtime as one tensor, and N labels and probabilities written back. No monitor. Run from the
 * repository root (or give {@code -Dmodel=PATH}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class InferLargeBenchmark {

    @Param({"10000", "100000"})
    public int rows;

    ModelServer server;
    HttpClient http;
    HttpRequest request;

    @Setup
    public void setUp() throws Exception {
        OnnxModel model = OnnxModel.load(java.nio.file.Path.of(System.getProperty("model",
                "mlops-onnx/src/test/resources/models/chapter_forest.onnx")));
        server = ModelServer.builder().predictor(model).modelName("chapter").port(0).maxRequestBytes(64L << 20).build().start();
        Random random = new Random(7);
        StringBuilder b = new StringBuilder(rows * 45);
        b.append("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[").append(rows).append(",5],\"data\":[");
        for (int i = 0; i < rows * 5; i++) {
            b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", random.nextGaussian()));
        }
        b.append("]}]}");
        byte[] body = b.toString().getBytes(StandardCharsets.US_ASCII);
        http = HttpClient.newHttpClient();
        request = HttpRequest.newBuilder(URI.create(server.uri() + "v2/models/chapter/infer"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body().substring(0, Math.min(300, r.body().length())));
        }
    }

    @Benchmark
    public int infer() throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body().length;
    }

    @TearDown
    public void tearDown() {
        server.close();
    }
}
