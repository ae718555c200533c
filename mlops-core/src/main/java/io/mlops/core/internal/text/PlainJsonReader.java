package io.mlops.core.internal.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text into the plain values the object mapper reads for {@code Object.class}, with
 * Jackson's streaming parser alone (the commonest scalars without even a parser), so that a fresh
 * process's first read of a stored record does not wait for the object mapper to be built. The
 * counterpart of {@link PlainJson}. Stateless and thread-safe.
 */
public final class PlainJsonReader {

    private PlainJsonReader() {
    }

    /**
     * Reads one JSON value as the object mapper reads it into {@code Object.class}: objects as
     * {@link LinkedHashMap}s (a repeated key keeps its last value), arrays as {@link ArrayList}s,
     * whole numbers as {@link Integer}, {@link Long} or {@link BigInteger} by size, other numbers as
     * {@link Double}; what follows the value is not read.
     *
     * @param factory the parser's factory (its limits apply)
     * @param text the text
     * @return the value
     * @throws IOException when the text is not JSON, is empty, or passes the factory's limits
     */
    public static Object read(JsonFactory factory, String text) throws IOException {
        Object scalar = scalar(text);
        if (scalar != NOT_SCALAR) {
            return scalar;
        }
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JsonParseException(p, "No content to map due to end-of-input");
            }
            return value(p, t);
        }
    }

    private static final Object NOT_SCALAR = new Object();

    /**
     * The commonest stored outputs and labels read without a parser: {@code true}, {@code false},
     * {@code null}, a whole number of at most nine digits, text that needs no unescaping — as the
     * parser reads them; {@link #NOT_SCALAR} for anything else.
     */
    private static Object scalar(String text) {
        int n = text.length();
        if (n == 0) {
            return NOT_SCALAR;
        }
        char c = text.charAt(0);
        if (c == '"') {
            if (n < 2 || text.charAt(n - 1) != '"') {
                return NOT_SCALAR;
            }
            for (int i = 1; i < n - 1; i++) {
                char x = text.charAt(i);
                if (x < 0x20 || x == '"' || x == '\\') {
                    return NOT_SCALAR;
                }
            }
            return text.substring(1, n - 1);
        }
        switch (text) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "null":
                return null;
            default:
                break;
        }
        int start = c == '-' ? 1 : 0;
        int digits = n - start;
        if (digits < 1 || digits > 9 || digits > 1 && text.charAt(start) == '0') {
            return NOT_SCALAR;
        }
        for (int i = start; i < n; i++) {
            char x = text.charAt(i);
            if (x < '0' || x > '9') {
                return NOT_SCALAR;
            }
        }
        return Integer.parseInt(text);
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
                    l.add(value(p, x));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
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
            default -> throw new JsonParseException(p, "Unexpected token " + t);
        }
    }
}
