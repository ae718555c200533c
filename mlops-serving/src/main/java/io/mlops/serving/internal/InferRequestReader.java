package io.mlops.serving.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.mlops.serving.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an Open Inference Protocol inference request in one streaming pass, each tensor's
 * {@code data} straight into a primitive array ({@link TensorElements}) rather than into boxed
 * lists. What a request may cost is bounded before it is spent: a shape's element count is
 * computed with overflow checks and must be at most the values the request may still hold
 * ({@code maxRequestElements}; else 413) before its array is allocated, and the elements that
 * arrive must be exactly that many. Two inputs with the same name, and a key twice in one object,
 * are a 400 naming it. Thread-safe (stateless).
 */
final class InferRequestReader {

    /** Where a tensor's elements go as they are read. */
    interface Sink {
        void addInteger(long v) throws HttpError;

        void addHugeInteger(String text) throws HttpError;

        void addFloating(double v) throws HttpError;

        void addBoolean(boolean v) throws HttpError;

        void addString(String v) throws HttpError;

        void addNull() throws HttpError;
    }

    /**
     * A read request.
     *
     * @param id the request's id, or null
     * @param inputs its tensors, in order, names distinct
     * @param outputs its {@code outputs} as plain values, or null
     */
    record InferRequest(String id, List<Tensor> inputs, Object outputs) {
    }

    /** Nesting of {@code data} arrays beyond this is refused (a shape has at most two dimensions). */
    private static final int MAX_DATA_DEPTH = 32;

    private InferRequestReader() {
    }

    static InferRequest read(RequestBody body, long maxElements) throws HttpError {
        if (body.length() == 0) {
            throw new HttpError(400, "empty request body: send JSON");
        }
        try (InputStream in = body.open(); JsonParser p = JsonBody.FACTORY.createParser(in)) {
            try {
                InferRequest request = request(p, new JsonBody(p, maxElements));
                JsonBody.end(p);
                return request;
            } catch (StreamConstraintsException e) {
                throw new HttpError(400, "the request body exceeds a JSON limit: " + e.getOriginalMessage());
            } catch (JsonProcessingException e) {
                throw JsonBody.malformed(e);
            }
        } catch (IOException e) {
            throw new HttpError(400, "malformed JSON");
        }
    }

    private static InferRequest request(JsonParser p, JsonBody values) throws IOException, HttpError {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new HttpError(400, "an inference request is a JSON object with 'inputs'");
        }
        Set<String> keys = new HashSet<>();
        String id = null;
        List<Tensor> inputs = null;
        Object outputs = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (!keys.add(key)) {
                throw new HttpError(400, "the body has the key '" + key + "' twice", key);
            }
            p.nextToken();
            switch (key) {
                case "id" -> {
                    if (p.currentToken() != JsonToken.VALUE_STRING) {
                        throw new HttpError(400, "'id' must be a string", "id");
                    }
                    values.add(1);
                    id = p.getText();
                }
                case "inputs" -> inputs = inputs(p, values);
                case "outputs" -> outputs = values.value("outputs");
                default -> values.value(key); // parameters, and keys this server does not use: read and counted
            }
        }
        if (inputs == null) {
            throw new HttpError(400, "'inputs' must be a non-empty array of tensors", "inputs");
        }
        return new InferRequest(id, inputs, outputs);
    }

    private static List<Tensor> inputs(JsonParser p, JsonBody values) throws IOException, HttpError {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new HttpError(400, "'inputs' must be a non-empty array of tensors", "inputs");
        }
        List<Tensor> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String where = "inputs[" + out.size() + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new HttpError(400, where + " must be an object with name, shape, datatype and data", where);
            }
            Tensor t = tensor(p, values, where);
            if (!names.add(t.name())) {
                throw new HttpError(400, "two inputs are named '" + t.name() + "': each input needs a name of its own", t.name());
            }
            out.add(t);
        }
        if (out.isEmpty()) {
            throw new HttpError(400, "'inputs' must be a non-empty array of tensors", "inputs");
        }
        return out;
    }

    /** One tensor object, the parser on its START_OBJECT. */
    private static Tensor tensor(JsonParser p, JsonBody values, String where) throws IOException, HttpError {
        Set<String> keys = new HashSet<>();
        String name = null;
        String datatype = null;
        long[] shape = null;
        long size = -1;
        TensorElements direct = null;
        BufferedElements buffered = null;
        values.add(1); // the tensor itself; its name, datatype and shape are not counted
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String label = name == null ? where : "input '" + name + "'";
            String field = name == null ? where : name;
            if (!keys.add(key)) {
                throw new HttpError(400, label + " has the key '" + key + "' twice", field);
            }
            p.nextToken();
            switch (key) {
                case "name" -> {
                    if (p.currentToken() != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
                        throw new HttpError(400, where + ".name must be a non-empty string", where);
                    }
                    name = p.getText();
                }
                case "datatype" -> {
                    if (p.currentToken() != JsonToken.VALUE_STRING) {
                        throw new HttpError(400, label + " needs a datatype", field);
                    }
                    datatype = checkedDatatype(p.getText(), label, field);
                }
                case "shape" -> {
                    shape = shape(p, label, field);
                    size = size(shape, label, field);
                }
                case "data" -> {
                    if (name != null && datatype != null && shape != null) {
                        // the common order: the array is sized by the shape (counted first) before any element is read
                        values.add(size);
                        direct = new TensorElements(name, datatype, (int) size);
                        data(p, direct, label, field, null);
                    } else {
                        buffered = new BufferedElements();
                        data(p, buffered, label, field, values);
                    }
                }
                default -> values.value(where + "." + key); // parameters
            }
        }
        if (name == null) {
            throw new HttpError(400, where + ".name must be a non-empty string", where);
        }
        if (datatype == null) {
            throw new HttpError(400, "input '" + name + "' needs a datatype", name);
        }
        if (shape == null) {
            throw new HttpError(400, "input '" + name + "' needs a shape of one or two dimensions ([N] or [N, F])", name);
        }
        if (direct == null && buffered == null) {
            throw new HttpError(400, "input '" + name + "' needs 'data': an array, flat (row-major) or nested", name);
        }
        if (direct == null) {
            if (buffered.size() != size) {
                throw new HttpError(400, "input '" + name + "' has " + buffered.size() + " elements but its shape "
                        + Arrays.toString(shape) + " needs " + size, name);
            }
            direct = new TensorElements(name, datatype, (int) size);
            buffered.replay(direct);
        }
        return direct.build(shape);
    }

    private static String checkedDatatype(String datatype, String label, String field) throws HttpError {
        if (!Tensor.INTEGER.contains(datatype) && !Tensor.FLOATING.contains(datatype) && !datatype.equals("BOOL")
                && !datatype.equals("BYTES")) {
            throw new HttpError(400, label + " has datatype '" + datatype + "'; supported are BOOL, INT8-INT64,"
                    + " UINT8-UINT64, FP16, FP32, FP64, BF16 and BYTES", field);
        }
        return datatype;
    }

    private static long[] shape(JsonParser p, String label, String field) throws IOException, HttpError {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new HttpError(400, label + " needs a shape of one or two dimensions ([N] or [N, F])", field);
        }
        long[] dims = new long[2];
        int rank = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (rank == 2) {
                throw new HttpError(400, label + " needs a shape of one or two dimensions ([N] or [N, F])", field);
            }
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || p.getLongValue() < 0) {
                throw new HttpError(400, label + " has a shape that is not a list of whole numbers >= 0", field);
            }
            long d = p.getLongValue();
            if (d > Integer.MAX_VALUE) {
                throw new HttpError(400, label + " has a dimension of " + d + "; a dimension may be at most "
                        + Integer.MAX_VALUE, field);
            }
            dims[rank++] = d;
        }
        if (rank == 0) {
            throw new HttpError(400, label + " needs a shape of one or two dimensions ([N] or [N, F])", field);
        }
        return Arrays.copyOf(dims, rank);
    }

    /** The shape's element count, computed without overflow. */
    private static long size(long[] shape, String label, String field) throws HttpError {
        long size = 1;
        for (long d : shape) {
            try {
                size = Math.multiplyExact(size, d);
            } catch (ArithmeticException overflow) {
                throw new HttpError(400, label + " has a shape " + Arrays.toString(shape) + " whose element count overflows",
                        field);
            }
        }
        return size;
    }

    /**
     * Reads a {@code data} array, flat or nested, into a sink. With {@code counted} each element is
     * counted against the request's limit as it comes (elements read before the shape is known);
     * without, the caller reserved the shape's count already and the sink refuses any beyond it.
     */
    private static void data(JsonParser p, Sink sink, String label, String field, JsonBody counted) throws IOException, HttpError {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new HttpError(400, label + " needs 'data': an array, flat (row-major) or nested", field);
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new HttpError(400, "malformed JSON: the body ends inside " + label + "'s data");
            }
            switch (t) {
                case START_ARRAY -> {
                    if (++depth > MAX_DATA_DEPTH) {
                        throw new HttpError(400, label + "'s data is nested more than " + MAX_DATA_DEPTH + " deep", field);
                    }
                    continue;
                }
                case END_ARRAY -> {
                    depth--;
                    continue;
                }
                case VALUE_NUMBER_INT -> {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        sink.addHugeInteger(p.getText());
                    } else {
                        sink.addInteger(p.getLongValue());
                    }
                }
                case VALUE_NUMBER_FLOAT -> sink.addFloating(p.getDoubleValue());
                case VALUE_TRUE -> sink.addBoolean(true);
                case VALUE_FALSE -> sink.addBoolean(false);
                case VALUE_STRING -> sink.addString(p.getText());
                case VALUE_NULL -> sink.addNull();
                default -> throw new HttpError(400, label + "'s data must hold numbers, booleans or strings, not objects",
                        field);
            }
            if (counted != null) {
                counted.add(1);
            }
        }
    }
}
