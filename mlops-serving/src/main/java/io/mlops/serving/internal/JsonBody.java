package io.mlops.serving.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.mlops.core.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a request body into plain values (maps, lists, strings, numbers, booleans, null) in one
 * streaming pass, and bounds what that may cost: at most a set number of values (elements), a
 * duplicate key in an object is a 400 naming it (else the last would silently win), and a number
 * beyond the double range ({@code 1e400}) is a 400 naming where it is. Thread-safe.
 */
final class JsonBody {

    static final JsonFactory FACTORY = Json.mapper().getFactory();

    private final JsonParser parser;
    private final long maxElements;
    private long elements;

    /** A reader of the values a parser is on, counting them against a limit shared with the caller. */
    JsonBody(JsonParser parser, long maxElements) {
        this.parser = parser;
        this.maxElements = maxElements;
    }

    /**
     * Parses a body: one JSON value, nothing after it.
     *
     * @param body the body
     * @param maxElements the most values (of any kind, at any depth) it may hold
     * @return the value
     * @throws HttpError 400 when it is empty, malformed or followed by more content, or holds a
     *     duplicate key or a number out of range; 413 when it holds more values than allowed
     */
    static Object parse(RequestBody body, long maxElements) throws HttpError {
        if (body.length() == 0) {
            throw new HttpError(400, "empty request body: send JSON");
        }
        try (InputStream in = body.open(); JsonParser parser = FACTORY.createParser(in)) {
            JsonBody reader = new JsonBody(parser, maxElements);
            Object value;
            try {
                parser.nextToken();
                value = reader.value("request body");
            } catch (StreamConstraintsException e) {
                throw new HttpError(400, "the request body exceeds a JSON limit: " + e.getOriginalMessage());
            } catch (JsonProcessingException e) {
                throw malformed(e);
            }
            end(parser);
            return value;
        } catch (IOException e) {
            throw new HttpError(400, "malformed JSON");
        }
    }

    /** Requires that nothing but white space follows the value. */
    static void end(JsonParser parser) throws HttpError, IOException {
        boolean more;
        try {
            more = parser.nextToken() != null;
        } catch (JsonProcessingException e) {
            more = true;
        }
        if (more) {
            throw new HttpError(400, "malformed JSON: content after the JSON value at line "
                    + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr());
        }
    }

    static HttpError malformed(JsonProcessingException e) {
        return new HttpError(400, "malformed JSON" + (e.getLocation() == null ? "" : " at line "
                + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
    }

    /** Counts one more value; 413 past the limit. */
    static void count(long elements, long maxElements) throws HttpError {
        if (elements > maxElements) {
            throw new HttpError(413, "the request holds more than " + maxElements + " values (maxRequestElements)");
        }
    }

    /** Counts values the caller read itself (a tensor's elements); 413 past the limit. */
    void add(long values) throws HttpError {
        elements += values;
        count(elements, maxElements);
    }

    /** The values that may still be read. */
    long remaining() {
        return maxElements - elements;
    }

    /** The value at the current token (the parser on it), its place named by {@code where}. */
    Object value(String where) throws IOException, HttpError {
        count(++elements, maxElements);
        JsonToken t = parser.currentToken();
        if (t == null) {
            throw new HttpError(400, "malformed JSON: the body ends before its value");
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    String path = where.equals("request body") ? key : where + "." + key;
                    parser.nextToken();
                    Object v = value(path);
                    if (map.containsKey(key)) {
                        throw new HttpError(400, (where.equals("request body") ? "the body" : where) + " has the key '" + key
                                + "' twice", path);
                    }
                    map.put(key, v);
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(where + "[" + list.size() + "]"));
                }
                return list;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_INT -> {
                return parser.getNumberValue(); // Integer, Long or BigInteger, as Jackson's untyped reading
            }
            case VALUE_NUMBER_FLOAT -> {
                double d = parser.getDoubleValue();
                if (!Double.isFinite(d)) {
                    throw new HttpError(400, where + " holds a number out of the double range", where);
                }
                return d;
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new HttpError(400, "malformed JSON at line " + parser.currentLocation().getLineNr());
        }
    }
}
