package io.mlops.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.mlops.serving.ModelServer;
import io.mlops.serving.spi.ModelLoad;
import io.mlops.serving.spi.ServedRequest;
import io.mlops.serving.spi.ServingListener;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The prediction server's meters, recorded as requests are answered and models loaded (a
 * {@link ServingListener} on the server; nothing is polled):
 *
 * <ul>
 *   <li>{@value #REQUESTS} — a {@link Timer} per endpoint ({@code predict}, {@code batch_predict},
 *       {@code v2_infer}, {@code health}, ...), model, version that answered, HTTP status and
 *       outcome ({@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}): counts, total and
 *       maximum time, and the percentiles or histogram buckets the registry's configuration asks
 *       for ({@code MeterFilter}, Spring Boot's {@code management.metrics.distribution.*});</li>
 *   <li>{@value #LOADS} — a {@link Timer} per model, alias and outcome ({@code success},
 *       {@code failure}) of the loads of versions from the registry.</li>
 * </ul>
 *
 * <p>A request costs one map lookup and the timer's own record. Thread-safe; {@link #close()}
 * removes the listener and the meters.
 *
 * @since 0.1.0
 */
public final class ServerMeters implements MeterBinder, AutoCloseable {

    /** The request timer's name. */
    public static final String REQUESTS = "mlops.server.requests";
    /** The model load timer's name. */
    public static final String LOADS = "mlops.model.loads";

    private final ModelServer server;
    private final List<Binding> bindings = new CopyOnWriteArrayList<>();

    /**
     * Meters for a server, bound with {@link #bindTo(MeterRegistry)}.
     *
     * @param server the server, started or not
     */
    public ServerMeters(ModelServer server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Binding b = new Binding(Objects.requireNonNull(registry, "registry"));
        b.handle = server.addListener(b);
        bindings.add(b);
    }

    /** Removes the listener and the meters from every registry this was bound to. */
    @Override
    public void close() {
        for (Binding b : bindings) {
            b.close();
        }
        bindings.clear();
    }

    private record RequestKey(String endpoint, String version, int status) {
    }

    private record LoadKey(String model, String alias, boolean success) {
    }

    /** One registry's meters: a listener on the server. */
    private static final class Binding implements ServingListener {
        private final MeterRegistry registry;
        private final Map<RequestKey, Timer> requests = new ConcurrentHashMap<>();
        private final Map<LoadKey, Timer> loads = new ConcurrentHashMap<>();
        private AutoCloseable handle;

        Binding(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void requestCompleted(ServedRequest r) {
            Timer t = requests.get(new RequestKey(r.endpoint(), r.version(), r.status()));
            if (t == null) {
                t = requests.computeIfAbsent(new RequestKey(r.endpoint(), r.version(), r.status()), k -> Timer.builder(REQUESTS)
                        .description("Requests answered by the prediction server")
                        .tag("endpoint", r.endpoint()).tag("model", r.model()).tag("version", r.version())
                        .tag("status", Integer.toString(r.status())).tag("outcome", r.outcome())
                        .register(registry));
            }
            t.record(r.durationNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void modelLoaded(ModelLoad load) {
            loads.computeIfAbsent(new LoadKey(load.model(), load.alias(), load.succeeded()), k -> Timer.builder(LOADS)
                    .description("Loads of model versions from the registry by the prediction server")
                    .tag("model", k.model()).tag("alias", k.alias()).tag("outcome", k.success() ? "success" : "failure")
                    .register(registry)).record(load.durationNanos(), TimeUnit.NANOSECONDS);
        }

        void close() {
            if (handle != null) {
                Meters.closeQuietly(handle);
            }
            for (Meter m : requests.values()) {
                registry.remove(m);
            }
            for (Meter m : loads.values()) {
                registry.remove(m);
            }
        }
    }
}
