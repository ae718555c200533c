package io.mlops.monitor.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.core.Json;
import io.mlops.monitor.ChangeDetector;

import java.io.IOException;

/**
 * A change detector's state ({@link ChangeDetector}): fed one observation at a time, oriented so
 * that larger is worse; stored as JSON between checks. Not thread-safe.
 */
abstract class ChangeState {

    private static final ObjectMapper JSON = Json.mapper();

    /** Adds an observation (larger is worse); true when it completes a change for the worse. */
    abstract boolean add(double x);

    /** How many observations the state rests on. */
    abstract long observations();

    abstract ObjectNode write(ObjectNode into);

    /** A fresh state for the detector. */
    static ChangeState fresh(ChangeDetector d) {
        return d.kind() == ChangeDetector.Kind.PAGE_HINKLEY ? new PageHinkley(d.delta(), d.lambda()) : new Adwin(d.delta());
    }

    String encode() {
        return write(JSON.createObjectNode()).toString();
    }

    /** The stored state, or a fresh one when it cannot be read (a damaged row affects only its rule). */
    static ChangeState decode(ChangeDetector d, String stored) {
        ChangeState s = fresh(d);
        try {
            JsonNode n = JSON.readTree(stored);
            if (n != null && n.isObject()) {
                s.read(n);
            }
            return s;
        } catch (IOException | RuntimeException e) {
            return fresh(d);
        }
    }

    abstract void read(JsonNode n);
}
