package io.mlops.monitor.internal;

import io.mlops.core.Json;
import io.mlops.core.StorageException;

import java.io.IOException;

/**
 * What a monitored record may hold, checked when it is logged so that every record a store is given
 * can be stored and read back (PostgreSQL refuses the NUL character in text, for example).
 */
final class RecordChecks {

    /** Longest JSON text of one input, output or actual, in characters. */
    static final int MAX_VALUE_CHARS = 1_000_000;
    /** Longest model version or user id. */
    static final int MAX_NAME_CHARS = 256;
    /** Longest error message kept; longer ones are cut. */
    static final int MAX_MESSAGE_CHARS = 4_096;

    private RecordChecks() {
    }

    /**
     * @return the text, when it has no NUL character and is short enough
     * @throws IllegalArgumentException otherwise
     */
    static String text(String value, int maxChars, String what) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxChars) {
            throw new IllegalArgumentException(what + " must be at most " + maxChars + " characters but was " + value.length());
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain the NUL character (\\u0000)");
        }
        return value;
    }

    /**
     * @return JSON text of the value, readable again under the monitor's limits
     */
    static String json(Object value, String what) {
        return Json.write(value, MAX_VALUE_CHARS, what);
    }

    /**
     * An error message as stored: NUL characters replaced, cut to {@value #MAX_MESSAGE_CHARS}
     * characters (an error must always be counted, whatever its message).
     */
    static String message(String message) {
        if (message == null) {
            return "";
        }
        String m = message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS - 1) + "\u2026" : message;
        return m.replace('\0', '\uFFFD');
    }

    /** Parses JSON text this class wrote. */
    static Object parse(String json) {
        try {
            return Json.read(json);
        } catch (IOException e) {
            throw new StorageException("Cannot read a monitored value back: " + e.getMessage(), e);
        }
    }
}
