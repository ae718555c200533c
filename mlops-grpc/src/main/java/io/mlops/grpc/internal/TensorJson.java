package io.mlops.grpc.internal;

import com.google.protobuf.ByteString;
import io.mlops.grpc.internal.proto.InferTensorContents;
import io.mlops.grpc.internal.proto.ModelInferRequest;
import io.mlops.grpc.internal.proto.ModelInferResponse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensors between the protocol's protobuf form (typed contents, or raw little-endian bytes) and
 * its JSON form, which the server reads and checks (shape against the data, datatypes, sizes).
 */
final class TensorJson {

    private TensorJson() {
    }

    /** A bad tensor: the call's INVALID_ARGUMENT. */
    static final class BadTensor extends Exception {
        private static final long serialVersionUID = 1L;

        BadTensor(String message) {
            super(message, null, false, false);
        }
    }

    /** The inference request as the JSON body of {@code /infer}. */
    static Map<String, Object> request(ModelInferRequest r) throws BadTensor {
        Map<String, Object> body = new LinkedHashMap<>();
        if (!r.getId().isEmpty()) {
            body.put("id", r.getId());
        }
        if (r.getRawInputContentsCount() > 0 && r.getRawInputContentsCount() != r.getInputsCount()) {
            throw new BadTensor("raw_input_contents has " + r.getRawInputContentsCount() + " entries for "
                    + r.getInputsCount() + " inputs");
        }
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < r.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor t = r.getInputs(i);
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("name", t.getName());
            input.put("datatype", t.getDatatype());
            input.put("shape", t.getShapeList());
            input.put("data", r.getRawInputContentsCount() > 0 ? raw(t.getDatatype(), r.getRawInputContents(i), t.getName())
                    : contents(t.getDatatype(), t.getContents(), t.getName()));
            inputs.add(input);
        }
        body.put("inputs", inputs);
        if (r.getOutputsCount() > 0) {
            List<Map<String, Object>> outputs = new ArrayList<>();
            for (ModelInferRequest.InferRequestedOutputTensor o : r.getOutputsList()) {
                outputs.add(Map.of("name", o.getName()));
            }
            body.put("outputs", outputs);
        }
        return body;
    }

    private static List<?> contents(String datatype, InferTensorContents c, String name) throws BadTensor {
        return switch (datatype) {
            case "BOOL" -> c.getBoolContentsList();
            case "INT8", "INT16", "INT32" -> c.getIntContentsList();
            case "INT64" -> c.getInt64ContentsList();
            case "UINT8", "UINT16", "UINT32" -> c.getUintContentsList().stream().map(Integer::toUnsignedLong).toList();
            case "UINT64" -> c.getUint64ContentsList().stream().map(v -> new java.math.BigInteger(Long.toUnsignedString(v))).toList();
            case "FP32" -> c.getFp32ContentsList().stream().map(Float::doubleValue).toList();
            case "FP64" -> c.getFp64ContentsList();
            case "BYTES" -> c.getBytesContentsList().stream().map(b -> b.toString(StandardCharsets.UTF_8)).toList();
            default -> throw new BadTensor("input '" + name + "' has datatype " + datatype + ", which has no typed contents here");
        };
    }

    /** Raw contents: elements flattened row-major, little-endian; BYTES elements each after a 4-byte length. */
    private static List<Object> raw(String datatype, ByteString bytes, String name) throws BadTensor {
        ByteBuffer b = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int size = switch (datatype) {
            case "BOOL", "INT8", "UINT8" -> 1;
            case "INT16", "UINT16" -> 2;
            case "INT32", "UINT32", "FP32" -> 4;
            case "INT64", "UINT64", "FP64" -> 8;
            case "BYTES" -> 0;
            default -> throw new BadTensor("input '" + name + "' has datatype " + datatype + ", which raw contents do not carry here");
        };
        List<Object> out = new ArrayList<>();
        if (size == 0) {
            while (b.hasRemaining()) {
                if (b.remaining() < 4) {
                    throw new BadTensor("input '" + name + "': a BYTES element's length is cut off");
                }
                int length = b.getInt();
                if (length < 0 || length > b.remaining()) {
                    throw new BadTensor("input '" + name + "': a BYTES element claims " + Integer.toUnsignedString(length)
                            + " bytes, " + b.remaining() + " remain");
                }
                byte[] element = new byte[length];
                b.get(element);
                out.add(new String(element, StandardCharsets.UTF_8));
            }
            return out;
        }
        if (b.remaining() % size != 0) {
            throw new BadTensor("input '" + name + "': " + b.remaining() + " raw bytes are not a whole number of " + datatype
                    + " elements");
        }
        while (b.hasRemaining()) {
            out.add(switch (datatype) {
                case "BOOL" -> b.get() != 0;
                case "INT8" -> (int) b.get();
                case "UINT8" -> b.get() & 0xff;
                case "INT16" -> (int) b.getShort();
                case "UINT16" -> b.getShort() & 0xffff;
                case "INT32" -> b.getInt();
                case "UINT32" -> Integer.toUnsignedLong(b.getInt());
                case "FP32" -> (double) b.getFloat();
                case "INT64" -> b.getLong();
                case "UINT64" -> new java.math.BigInteger(Long.toUnsignedString(b.getLong()));
                default -> b.getDouble();
            });
        }
        return out;
    }

    /** The JSON inference response as the protobuf one. */
    static ModelInferResponse response(Map<?, ?> json) {
        ModelInferResponse.Builder r = ModelInferResponse.newBuilder()
                .setModelName(String.valueOf(json.get("model_name")))
                .setModelVersion(json.get("model_version") == null ? "" : String.valueOf(json.get("model_version")));
        if (json.get("id") != null) {
            r.setId(String.valueOf(json.get("id")));
        }
        if (json.get("outputs") instanceof List<?> outputs) {
            for (Object o : outputs) {
                Map<?, ?> t = (Map<?, ?>) o;
                ModelInferResponse.InferOutputTensor.Builder out = ModelInferResponse.InferOutputTensor.newBuilder()
                        .setName(String.valueOf(t.get("name"))).setDatatype(String.valueOf(t.get("datatype")));
                for (Object d : (List<?>) t.get("shape")) {
                    out.addShape(((Number) d).longValue());
                }
                out.setContents(contents(String.valueOf(t.get("datatype")), (List<?>) t.get("data")));
                r.addOutputs(out);
            }
        }
        if (json.get("parameters") instanceof Map<?, ?> parameters && parameters.get("prediction_ids") instanceof List<?> ids) {
            // a parameter holds no list: the ids, comma-separated
            r.putParameters("prediction_ids", io.mlops.grpc.internal.proto.InferParameter.newBuilder()
                    .setStringParam(String.join(",", ids.stream().map(String::valueOf).toList())).build());
        }
        return r.build();
    }

    private static InferTensorContents contents(String datatype, List<?> data) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (Object v : data) {
            switch (datatype) {
                case "BOOL" -> c.addBoolContents((Boolean) v);
                case "INT8", "INT16", "INT32" -> c.addIntContents(((Number) v).intValue());
                case "INT64" -> c.addInt64Contents(((Number) v).longValue());
                case "FP32" -> c.addFp32Contents(((Number) v).floatValue());
                case "FP64" -> c.addFp64Contents(((Number) v).doubleValue());
                default -> c.addBytesContents(ByteString.copyFromUtf8(String.valueOf(v)));
            }
        }
        return c.build();
    }
}
