package io.mlops.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelServer;

/**
 * Binds the library's parts to a Micrometer {@link MeterRegistry}:
 *
 * <pre>{@code
 * PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * MlopsMeters.bind(meters, server);     // mlops.server.requests, mlops.model.loads
 * MlopsMeters.bind(meters, monitor);    // mlops.monitor.* per model version, over the last hour
 * MlopsMeters.bind(meters, registry);   // mlops.registry.events
 * }</pre>
 *
 * <p>Each call returns the binder, whose {@code close()} removes what it added; for other settings
 * (the monitor's window, drift gauges) build the binder yourself
 * ({@link MonitorMeters#builder}) and call its {@code bindTo}. In Spring Boot, declaring the binders
 * as beans binds them to the application's registry.
 *
 * @since 0.1.0
 */
public final class MlopsMeters {

    private MlopsMeters() {
    }

    /**
     * Binds a prediction server's request and load timers.
     *
     * @param meters the meter registry
     * @param server the server, started or not
     * @return the binder
     */
    public static ServerMeters bind(MeterRegistry meters, ModelServer server) {
        ServerMeters m = new ServerMeters(server);
        m.bindTo(meters);
        return m;
    }

    /**
     * Binds a monitor's gauges with the defaults (one hour, refreshed every 30 seconds, no drift).
     *
     * @param meters the meter registry
     * @param monitor the monitor
     * @return the binder
     */
    public static MonitorMeters bind(MeterRegistry meters, ModelMonitor monitor) {
        MonitorMeters m = MonitorMeters.builder(monitor).build();
        m.bindTo(meters);
        return m;
    }

    /**
     * Binds a model registry's change counters.
     *
     * @param meters the meter registry
     * @param registry the model registry
     * @return the binder
     */
    public static RegistryMeters bind(MeterRegistry meters, ModelRegistry registry) {
        RegistryMeters m = new RegistryMeters(registry);
        m.bindTo(meters);
        return m;
    }
}
