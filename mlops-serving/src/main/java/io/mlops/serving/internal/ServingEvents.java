package io.mlops.serving.internal;

import io.mlops.serving.spi.ModelLoad;
import io.mlops.serving.spi.ServedRequest;
import io.mlops.serving.spi.ServingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the server tells the code around it: its {@link ServingListener}s — added and removed at any
 * time, told of each answered request and each load; a listener's exception is logged once per
 * listener and dropped — and its spans ({@link ServerTracing}). Without listeners and tracing a
 * request costs one volatile read. Thread-safe.
 */
final class ServingEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ServingEvents.class);

    private final String model;
    private final ServerTracing tracing;
    private final CopyOnWriteArrayList<ServingListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<ServingListener> warned = ConcurrentHashMap.newKeySet();

    ServingEvents(String model, ServerTracing tracing) {
        this.model = model;
        this.tracing = tracing;
    }

    /** Starts a request's span (null when tracing is off or the endpoint is not traced). */
    io.opentelemetry.api.trace.Span startRequest(Wire request, String endpoint) {
        return tracing.startRequest(request, endpoint);
    }

    /** Starts a load's span (null when tracing is off). */
    io.opentelemetry.api.trace.Span startLoad(String version, String alias) {
        return tracing.startLoad(version, alias);
    }

    /** Adds a listener; closing the handle removes it. */
    AutoCloseable add(ServingListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void request(String endpoint, String version, String primaryVersion, int status, long nanos,
                 io.opentelemetry.api.trace.Span span) {
        tracing.endRequest(span, status, version, primaryVersion);
        if (listeners.isEmpty()) {
            return;
        }
        ServedRequest r = new ServedRequest(endpoint, model, version == null ? "" : version, status, nanos);
        for (ServingListener l : listeners) {
            try {
                l.requestCompleted(r);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }

    void load(String version, String alias, long nanos, Throwable failure, io.opentelemetry.api.trace.Span span) {
        ServerTracing.endLoad(span, failure);
        ModelLoad load = new ModelLoad(model, version, alias, nanos, failure);
        for (ServingListener l : listeners) {
            try {
                l.modelLoaded(load);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }

    private void failed(ServingListener l, RuntimeException e) {
        if (warned.add(l)) {
            LOG.warn("The serving listener {} failed; its failures are dropped and not logged again: {}", l, e.toString());
        }
    }
}
