package io.mlops.onnx.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model's graph nodes, streamed from its bytes with protobuf's wire reader by the field
 * numbers of ONNX's {@code onnx.proto}: ModelProto.graph 7, GraphProto.node 1, NodeProto.op_type 4 /
 * domain 7 / attribute 5, AttributeProto.name 1 / f 2 / i 3 / s 4 / t 5 / floats 7 / ints 8 /
 * strings 9, TensorProto.data_type 2 / float_data 4 / raw_data 9 / double_data 10; repeated numbers
 * packed or not. Only the attributes of the nodes {@link OnnxTrees} reads are kept; everything
 * else (a network's weights) is skipped as it streams by.
 */
final class OnnxGraph {

    private OnnxGraph() {
    }

    /** One NodeProto: its operator and, for a tree ensemble, its attributes (Long, Float, String, long[], double[], String[]). */
    record Node(String op, String domain, Map<String, Object> attributes) {
    }

    /** A length-delimited field's tag (protobuf's makeTag is not public). */
    private static int delimited(int field) {
        return field << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    static boolean trees(String op) {
        return op.equals("TreeEnsembleClassifier") || op.equals("TreeEnsembleRegressor");
    }

    static List<Node> nodes(java.io.InputStream model) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(model);
        in.setSizeLimit(Integer.MAX_VALUE);
        List<Node> nodes = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == delimited(7)) {
                int graph = in.pushLimit(in.readRawVarint32());
                for (int g = in.readTag(); g != 0; g = in.readTag()) {
                    if (g == delimited(1)) {
                        int node = in.pushLimit(in.readRawVarint32());
                        nodes.add(node(in));
                        in.popLimit(node);
                        if (nodes.size() > 100_000) {
                            throw new IOException("more than 100,000 nodes");
                        }
                    } else {
                        in.skipField(g);
                    }
                }
                in.popLimit(graph);
            } else {
                in.skipField(tag);
            }
        }
        return nodes;
    }

    /** A node's fields up to its limit; op_type (4) precedes the attributes (5) in protobuf's field order. */
    private static Node node(CodedInputStream in) throws IOException {
        String op = "";
        String domain = "";
        Map<String, Object> attributes = new HashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 4 -> op = in.readString();
                case 7 -> domain = in.readString();
                case 5 -> {
                    if (trees(op) || op.equals("Scaler")) {
                        attribute(in.readBytes().newCodedInput(), attributes);
                    } else {
                        in.skipField(tag);
                    }
                }
                default -> in.skipField(tag);
            }
        }
        return new Node(op, domain, attributes);
    }

    private static void attribute(CodedInputStream in, Map<String, Object> into) throws IOException {
        String name = null;
        Object value = null;
        List<Long> ints = new ArrayList<>();
        List<Float> floats = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            switch (field) {
                case 1 -> name = in.readString();
                case 2 -> value = in.readFloat();
                case 3 -> value = in.readInt64();
                case 4 -> value = in.readBytes().toString(StandardCharsets.UTF_8);
                case 5 -> value = tensor(in.readBytes().newCodedInput());
                case 7 -> {
                    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        CodedInputStream packed = in.readBytes().newCodedInput();
                        while (!packed.isAtEnd()) {
                            floats.add(packed.readFloat());
                        }
                    } else {
                        floats.add(in.readFloat());
                    }
                }
                case 8 -> {
                    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        CodedInputStream packed = in.readBytes().newCodedInput();
                        while (!packed.isAtEnd()) {
                            ints.add(packed.readInt64());
                        }
                    } else {
                        ints.add(in.readInt64());
                    }
                }
                case 9 -> strings.add(in.readBytes().toString(StandardCharsets.UTF_8));
                default -> in.skipField(tag);
            }
        }
        if (name == null) {
            return;
        }
        if (!floats.isEmpty()) {
            double[] a = new double[floats.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = floats.get(i);
            }
            value = a;
        } else if (!ints.isEmpty()) {
            value = ints.stream().mapToLong(Long::longValue).toArray();
        } else if (!strings.isEmpty()) {
            value = strings.toArray(String[]::new);
        }
        if (value != null) {
            into.put(name, value);
        }
    }

    /** A float or double tensor's values (the {@code *_as_tensor} attributes), as doubles. */
    private static double[] tensor(CodedInputStream in) throws IOException {
        List<Double> values = new ArrayList<>();
        int type = 0;
        byte[] raw = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            switch (field) {
                case 2 -> type = in.readInt32();
                case 4, 10 -> {
                    CodedInputStream v = packed ? in.readBytes().newCodedInput() : in;
                    do {
                        values.add(field == 4 ? v.readFloat() : v.readDouble());
                    } while (packed && !v.isAtEnd());
                }
                case 9 -> raw = in.readByteArray();
                default -> in.skipField(tag);
            }
        }
        if (raw != null) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            if (type == 1) { // FLOAT
                while (b.remaining() >= 4) {
                    values.add((double) b.getFloat());
                }
            } else if (type == 11) { // DOUBLE
                while (b.remaining() >= 8) {
                    values.add(b.getDouble());
                }
            } else {
                throw new IOException("a tensor attribute of type " + type);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
