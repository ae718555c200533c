package io.mlops.grpc.internal;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.mlops.core.Json;
import io.mlops.grpc.internal.proto.GRPCInferenceServiceGrpc;
import io.mlops.grpc.internal.proto.ModelInferRequest;
import io.mlops.grpc.internal.proto.ModelInferResponse;
import io.mlops.grpc.internal.proto.ModelMetadataRequest;
import io.mlops.grpc.internal.proto.ModelMetadataResponse;
import io.mlops.grpc.internal.proto.ModelReadyRequest;
import io.mlops.grpc.internal.proto.ModelReadyResponse;
import io.mlops.grpc.internal.proto.ServerLiveRequest;
import io.mlops.grpc.internal.proto.ServerLiveResponse;
import io.mlops.grpc.internal.proto.ServerMetadataRequest;
import io.mlops.grpc.internal.proto.ServerMetadataResponse;
import io.mlops.grpc.internal.proto.ServerReadyRequest;
import io.mlops.grpc.internal.proto.ServerReadyResponse;
import io.mlops.serving.ModelServer;
import io.mlops.serving.spi.EmbeddedResponse;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code inference.GRPCInferenceService}: each call is the matching REST request handed to the
 * server ({@link ModelServer#handle}), its JSON answer turned into the protobuf one, its error
 * status into a gRPC status with the same message.
 */
public final class OipGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    private final ModelServer server;

    public OipGrpcService(ModelServer server) {
        this.server = server;
    }

    /** A REST status other than 200, as the call's gRPC failure. */
    private static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Status status;

        Failed(Status status) {
            super(status.getDescription(), null, false, false);
            this.status = status;
        }
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        answer(out, () -> ServerLiveResponse.newBuilder().setLive(Boolean.TRUE.equals(call("GET", "/v2/health/live", null, true)
                .get("live"))).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        answer(out, () -> ServerReadyResponse.newBuilder().setReady(Boolean.TRUE.equals(call("GET", "/v2/health/ready", null, true)
                .get("ready"))).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        answer(out, () -> ModelReadyResponse.newBuilder().setReady(Boolean.TRUE.equals(call("GET",
                modelPath(request.getName(), request.getVersion()) + "/ready", null, false).get("ready"))).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        answer(out, () -> {
            Map<?, ?> json = call("GET", "/v2", null, false);
            ServerMetadataResponse.Builder r = ServerMetadataResponse.newBuilder().setName(String.valueOf(json.get("name")))
                    .setVersion(String.valueOf(json.get("version")));
            for (Object e : (List<?>) json.get("extensions")) {
                r.addExtensions(String.valueOf(e));
            }
            return r.build();
        });
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        answer(out, () -> {
            Map<?, ?> json = call("GET", modelPath(request.getName(), request.getVersion()), null, false);
            ModelMetadataResponse.Builder r = ModelMetadataResponse.newBuilder().setName(String.valueOf(json.get("name")))
                    .setPlatform(String.valueOf(json.get("platform")));
            for (Object v : (List<?>) json.get("versions")) {
                r.addVersions(String.valueOf(v));
            }
            for (Object t : (List<?>) json.get("inputs")) {
                r.addInputs(tensor((Map<?, ?>) t));
            }
            for (Object t : (List<?>) json.get("outputs")) {
                r.addOutputs(tensor((Map<?, ?>) t));
            }
            return r.build();
        });
    }

    private static ModelMetadataResponse.TensorMetadata tensor(Map<?, ?> t) {
        ModelMetadataResponse.TensorMetadata.Builder b = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(String.valueOf(t.get("name"))).setDatatype(String.valueOf(t.get("datatype")));
        for (Object d : (List<?>) t.get("shape")) {
            b.addShape(((Number) d).longValue());
        }
        return b.build();
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        answer(out, () -> {
            Map<String, Object> body;
            try {
                body = TensorJson.request(request);
            } catch (TensorJson.BadTensor e) {
                throw new Failed(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
            }
            byte[] json = Json.write(body, Integer.MAX_VALUE - 8, "the inference request").getBytes(StandardCharsets.UTF_8);
            return TensorJson.response(call("POST", modelPath(request.getModelName(), request.getModelVersion()) + "/infer",
                    json, false));
        });
    }

    private static String modelPath(String name, String version) throws Failed {
        if (name.isEmpty()) {
            throw new Failed(Status.INVALID_ARGUMENT.withDescription("the model's name is missing"));
        }
        String path = "/v2/models/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        return version.isEmpty() ? path : path + "/versions/" + URLEncoder.encode(version, StandardCharsets.UTF_8);
    }

    /** One REST request; its JSON answer when 200 (or, when asked, 503 with a body), else the call fails. */
    private Map<?, ?> call(String method, String path, byte[] body, boolean unavailableIsAnswer) throws Failed {
        EmbeddedResponse r = server.handle(new EmbeddedCall(method, path,
                CallHeaders.HEADERS.get() == null ? Map.of() : CallHeaders.HEADERS.get(), body == null ? new byte[0] : body));
        Map<?, ?> json;
        try {
            json = Json.read(new String(r.body(), StandardCharsets.UTF_8)) instanceof Map<?, ?> m ? m : Map.of();
        } catch (IOException | RuntimeException e) {
            json = Map.of();
        }
        if (r.status() == 200 || unavailableIsAnswer && r.status() == 503 && !json.isEmpty()) {
            return json;
        }
        String message = json.get("error") instanceof String s ? s : "HTTP " + r.status();
        throw new Failed(status(r.status()).withDescription(message));
    }

    static Status status(int http) {
        return switch (http) {
            case 400 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 408 -> Status.DEADLINE_EXCEEDED;
            case 413, 429 -> Status.RESOURCE_EXHAUSTED;
            case 501 -> Status.UNIMPLEMENTED;
            case 503 -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
    }

    @FunctionalInterface
    private interface Answer<R> {
        R get() throws Failed;
    }

    private static <R> void answer(StreamObserver<R> out, Answer<R> answer) {
        R result;
        try {
            result = answer.get();
        } catch (Failed f) {
            out.onError(f.status.asRuntimeException());
            return;
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(OipGrpcService.class).warn("A gRPC call failed: {}", e.toString(), e);
            out.onError(Status.INTERNAL.withDescription("the server could not answer").asRuntimeException());
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }
}
