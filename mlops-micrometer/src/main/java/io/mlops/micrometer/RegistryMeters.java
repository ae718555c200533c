package io.mlops.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.RegistryEvent;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The model registry's meters, counted as changes are made through the registry (a
 * {@link io.mlops.registry.RegistryListener}; nothing is read from the store):
 * {@value #EVENTS} — a counter per model and change ({@code registered}, {@code overwritten},
 * {@code alias_moved}, {@code alias_rolled_back}, {@code alias_removed}, {@code deleted}). Changes
 * made by other processes are theirs to count. Thread-safe; {@link #close()} removes the listener
 * and the meters.
 *
 * @since 0.1.0
 */
public final class RegistryMeters implements MeterBinder, AutoCloseable {

    /** The change counter's name. */
    public static final String EVENTS = "mlops.registry.events";

    private final ModelRegistry modelRegistry;
    private final List<Runnable> unbind = new CopyOnWriteArrayList<>();

    /**
     * Meters for a model registry, bound with {@link #bindTo(MeterRegistry)}.
     *
     * @param modelRegistry the registry
     */
    public RegistryMeters(ModelRegistry modelRegistry) {
        this.modelRegistry = Objects.requireNonNull(modelRegistry, "modelRegistry");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Map<String, Counter> counters = new ConcurrentHashMap<>();
        AutoCloseable handle = modelRegistry.addListener(e -> counter(registry, counters, e).increment());
        unbind.add(() -> {
            Meters.closeQuietly(handle);
            for (Meter m : counters.values()) {
                registry.remove(m);
            }
        });
    }

    private static Counter counter(MeterRegistry registry, Map<String, Counter> counters, RegistryEvent e) {
        String type = e.type().name().toLowerCase(Locale.ROOT);
        return counters.computeIfAbsent(e.model() + '\u0000' + type, k -> Counter.builder(EVENTS)
                .description("Changes made through the model registry")
                .tag("model", e.model()).tag("type", type).register(registry));
    }

    /** Removes the listener and the meters from every registry this was bound to. */
    @Override
    public void close() {
        unbind.forEach(Runnable::run);
        unbind.clear();
    }
}
