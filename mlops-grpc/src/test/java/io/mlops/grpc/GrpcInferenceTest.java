package io.mlops.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.mlops.grpc.internal.proto.GRPCInferenceServiceGrpc;
import io.mlops.grpc.internal.proto.InferTensorContents;
import io.mlops.grpc.internal.proto.ModelInferRequest;
import io.mlops.grpc.internal.proto.ModelInferResponse;
import io.mlops.grpc.internal.proto.ModelMetadataRequest;
import io.mlops.grpc.internal.proto.ModelReadyRequest;
import io.mlops.grpc.internal.proto.ServerLiveRequest;
import io.mlops.grpc.internal.proto.ServerMetadataRequest;
import io.mlops.grpc.internal.proto.ServerReadyRequest;
import io.mlops.onnx.OnnxModel;
import io.mlops.serving.ModelServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Open Inference Protocol over gRPC on the chapter's ONNX forest: the same outputs as REST
 * {@code /infer} for typed and raw tensors, from grpc-java and from an independent Python client
 * (Debian's grpcio, stubs generated from our .proto); tokens, bad tensors, unknown models and
 * oversized messages answered with the right status and the REST message.
 */
class GrpcInferenceTest {

    static final String TOKEN = "a-token-of-sixteen-chars";
    static final Path MODEL = Path.of("../mlops-onnx/src/test/resources/models/chapter_forest.onnx");
    static final Path EXPECTED = Path.of("../mlops-onnx/src/test/resources/models/chapter_forest.expected.json");

    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();
    OnnxModel model;
    ModelServer server;
    ManagedChannel channel;
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub authorized;
    List<float[]> rows = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        model = OnnxModel.load(MODEL);
        server = ModelServer.builder().predictor(model).modelName("chapter").modelVersion("1.0.0").bearerToken(TOKEN)
                .port(0).grpcPort(0).build().start();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        Metadata auth = new Metadata();
        auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
        authorized = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
        for (JsonNode row : json.readTree(EXPECTED.toFile()).get("rows")) {
            float[] r = new float[row.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) row.get(i).asDouble();
            }
            rows.add(r);
        }
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
        if (model != null) {
            model.close();
        }
    }

    ModelInferRequest typed(int n) {
        ModelInferRequest.InferInputTensor.Builder t = ModelInferRequest.InferInputTensor.newBuilder().setName("input")
                .setDatatype("FP32").addShape(n).addShape(5);
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (int i = 0; i < n; i++) {
            for (float v : rows.get(i)) {
                c.addFp32Contents(v);
            }
        }
        return ModelInferRequest.newBuilder().setModelName("chapter").setId("q-" + n).addInputs(t.setContents(c)).build();
    }

    ModelInferRequest raw(int n) {
        ByteBuffer b = ByteBuffer.allocate(n * 5 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            for (float v : rows.get(i)) {
                b.putFloat(v);
            }
        }
        return ModelInferRequest.newBuilder().setModelName("chapter").addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input").setDatatype("FP32").addShape(n).addShape(5)).addRawInputContents(ByteString.copyFrom(b.array())).build();
    }

    JsonNode rest(int n) throws Exception {
        List<Double> data = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (float v : rows.get(i)) {
                data.add((double) v);
            }
        }
        String body = json.writeValueAsString(Map.of("inputs", List.of(Map.of("name", "input", "datatype", "FP32",
                "shape", List.of(n, 5), "data", data))));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve("/v2/models/chapter/infer"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    static void sameOutputs(ModelInferResponse grpc, JsonNode rest) {
        assertThat(grpc.getOutputsCount()).isEqualTo(rest.get("outputs").size());
        for (int o = 0; o < grpc.getOutputsCount(); o++) {
            ModelInferResponse.InferOutputTensor t = grpc.getOutputs(o);
            JsonNode r = rest.get("outputs").get(o);
            assertThat(t.getName()).isEqualTo(r.get("name").asText());
            assertThat(t.getDatatype()).isEqualTo(r.get("datatype").asText());
            List<Object> data = new ArrayList<>();
            data.addAll(t.getContents().getInt64ContentsList());
            data.addAll(t.getContents().getFp64ContentsList());
            List<Object> expected = new ArrayList<>();
            r.get("data").forEach(v -> expected.add(v.isIntegralNumber() ? (Object) v.asLong() : (Object) v.asDouble()));
            assertThat(data).isEqualTo(expected);
        }
    }

    @Test
    void healthMetadataAndInferenceAnswerAsRestDoes() throws Exception {
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(authorized.modelReady(ModelReadyRequest.newBuilder().setName("chapter").build()).getReady()).isTrue();
        assertThat(authorized.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName()).isEqualTo("mlops");
        var meta = authorized.modelMetadata(ModelMetadataRequest.newBuilder().setName("chapter").build());
        assertThat(meta.getVersionsList()).containsExactly("1.0.0");
        assertThat(meta.getInputsCount()).isEqualTo(5);

        ModelInferResponse typed = authorized.modelInfer(typed(7));
        assertThat(typed.getId()).isEqualTo("q-7");
        assertThat(typed.getModelVersion()).isEqualTo("1.0.0");
        sameOutputs(typed, rest(7));
        sameOutputs(authorized.modelInfer(raw(40)), rest(40));
    }

    @Test
    void badCallsGetTheirStatusAndTheRestMessage() {
        assertThatThrownBy(() -> stub.modelInfer(typed(1))).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        ModelInferRequest wrongShape = typed(2).toBuilder().setInputs(0, typed(2).getInputs(0).toBuilder().setShape(1, 4)).build();
        assertThatThrownBy(() -> authorized.modelInfer(wrongShape)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).isNotBlank().doesNotContain("Exception");
        });
        ModelInferRequest other = typed(1).toBuilder().setModelName("other").build();
        assertThatThrownBy(() -> authorized.modelInfer(other)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        ModelInferRequest ragged = raw(1).toBuilder().setRawInputContents(0, ByteString.copyFrom(new byte[7])).build();
        assertThatThrownBy(() -> authorized.modelInfer(ragged)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getDescription()).contains("whole number"));
        ModelInferRequest cutBytes = ModelInferRequest.newBuilder().setModelName("chapter").addInputs(
                ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("BYTES").addShape(1))
                .addRawInputContents(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1})).build();
        assertThatThrownBy(() -> authorized.modelInfer(cutBytes)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        ModelInferRequest huge = ModelInferRequest.newBuilder().setModelName("chapter").addInputs(
                ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("FP32").addShape(1 << 20).addShape(5))
                .addRawInputContents(ByteString.copyFrom(new byte[5 << 20])).build();
        assertThatThrownBy(() -> authorized.modelInfer(huge)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        // the server still answers
        assertThat(authorized.modelInfer(typed(1)).getOutputsCount()).isEqualTo(2);
    }

    @Test
    void concurrentCallsEachGetTheirOwnAnswer() throws Exception {
        JsonNode expected = rest(40);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        int n = 1 + i % 40;
                        ModelInferResponse r = authorized.modelInfer(typed(n));
                        List<Long> labels = r.getOutputs(0).getContents().getInt64ContentsList();
                        for (int k = 0; k < n; k++) {
                            if (labels.get(k) != expected.at("/outputs/0/data/" + k).asLong()) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anIndependentPythonClientGetsTheSameOutputs() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeThat(Files.isExecutable(python)).as("Debian's python3 (SKIPPED without it)").isTrue();
        Process probe = new ProcessBuilder(python.toString(), "-c", "import grpc, grpc_tools").redirectErrorStream(true).start();
        assumeThat(probe.waitFor()).as("python3-grpcio and python3-grpc-tools (SKIPPED without them)").isZero();
        List<List<Float>> first = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<Float> r = new ArrayList<>();
            for (float v : rows.get(i)) {
                r.add(v);
            }
            first.add(r);
        }
        Path script = dir.resolve("oip_client.py");
        try (var in = GrpcInferenceTest.class.getResourceAsStream("/oip_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path out = Files.createDirectories(dir.resolve("stubs"));
        Process p = new ProcessBuilder(python.toString(), script.toString(), Path.of("src/main/protobuf").toAbsolutePath().toString(),
                out.toString(), String.valueOf(server.grpcPort()), TOKEN, json.writeValueAsString(first)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
        JsonNode answer = json.readTree(output.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(answer.get("live").asBoolean()).isTrue();
        assertThat(answer.get("model").asText()).isEqualTo("chapter");
        assertThat(answer.get("inputs").asInt()).isEqualTo(5);
        assertThat(answer.get("id").asText()).isEqualTo("py-1");
        assertThat(answer.get("without_token").asText()).isEqualTo("UNAUTHENTICATED");
        JsonNode rest = rest(10);
        assertThat(answer.at("/outputs/label/data")).isEqualTo(rest.at("/outputs/0/data"));
        for (int i = 0; i < 20; i++) {
            assertThat(answer.at("/outputs/probabilities/data/" + i).asDouble()).isEqualTo(rest.at("/outputs/1/data/" + i).asDouble());
        }
    }
}
