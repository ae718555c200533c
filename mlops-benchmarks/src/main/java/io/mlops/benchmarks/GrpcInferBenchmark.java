package io.mlops.benchmarks;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.mlops.onnx.OnnxModel;
import io.mlops.serving.ModelServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The Open Inference Protocol's ModelInfer over gRPC against REST {@code /infer} for the same
 * tensors (the chapter's ONNX forest, {@code rows} x 5 FP32), one client thread on loopback, the
 * server in the same JVM: grpc-java's blocking stub with typed contents, against the JDK's HTTP
 * client with the JSON body. Run from the repository root.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class GrpcInferBenchmark {

    @Param({"1", "100"})
    public int rows;

    OnnxModel model;
    ModelServer server;
    ManagedChannel channel;
    io.mlops.grpc.internal.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;
    io.mlops.grpc.internal.proto.ModelInferRequest grpcRequest;
    HttpClient http;
    HttpRequest restRequest;

    @Setup(Level.Trial)
    public void setUp() {
        model = OnnxModel.load(Path.of(System.getProperty("model", "mlops-onnx/src/test/resources/models/chapter_forest.onnx")));
        server = ModelServer.builder().predictor(model).modelName("chapter").port(0).grpcPort(0).build().start();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        stub = io.mlops.grpc.internal.proto.GRPCInferenceServiceGrpc.newBlockingStub(channel);
        Random r = new Random(1);
        var contents = io.mlops.grpc.internal.proto.InferTensorContents.newBuilder();
        StringBuilder json = new StringBuilder("{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [" + rows
                + ", 5], \"data\": [");
        for (int i = 0; i < rows * 5; i++) {
            float v = (float) r.nextGaussian();
            contents.addFp32Contents(v);
            json.append(i == 0 ? "" : ", ").append(v);
        }
        json.append("]}]}");
        grpcRequest = io.mlops.grpc.internal.proto.ModelInferRequest.newBuilder().setModelName("chapter")
                .addInputs(io.mlops.grpc.internal.proto.ModelInferRequest.InferInputTensor.newBuilder().setName("input")
                        .setDatatype("FP32").addShape(rows).addShape(5).setContents(contents)).build();
        http = HttpClient.newHttpClient();
        restRequest = HttpRequest.newBuilder(URI.create(server.uri() + "v2/models/chapter/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(json.toString())).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.shutdownNow();
        server.close();
        model.close();
    }

    @Benchmark
    public Object grpc() {
        return stub.modelInfer(grpcRequest);
    }

    @Benchmark
    public Object rest() throws Exception {
        HttpResponse<byte[]> r = http.send(restRequest, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode());
        }
        return r.body();
    }
}
