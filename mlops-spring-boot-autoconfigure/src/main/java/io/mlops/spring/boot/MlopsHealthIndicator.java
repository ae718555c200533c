package io.mlops.spring.boot;

import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The library's part of {@code /actuator/health}: DOWN when the registry's store cannot be read
 * (its error, without a stack trace, in the details), or when the monitor's store has refused
 * records and its queue is full; the details list the models, and the monitor's queue depth and
 * set-aside records; with a prediction server, DOWN while it has no version loaded, else the model
 * and version it serves.
 *
 * @since 0.1.0
 */
public class MlopsHealthIndicator extends AbstractHealthIndicator {

    private final ModelRegistry registry;
    private final ModelMonitor monitor; // may be null
    private final int queueCapacity;
    private final java.util.function.Supplier<String[]> serving; // model and version served, or null without a server

    /**
     * @param registry the registry
     * @param monitor the monitor, or null when there is none
     * @param queueCapacity the monitor's queue capacity
     * @param serving the model name and the version the server serves ({@code null} version: none
     *     loaded), or null when there is no server
     */
    public MlopsHealthIndicator(ModelRegistry registry, ModelMonitor monitor, int queueCapacity,
                                java.util.function.Supplier<String[]> serving) {
        super("The mlops health check failed");
        this.registry = registry;
        this.monitor = monitor;
        this.queueCapacity = queueCapacity;
        this.serving = serving;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up().withDetail("models", registry.models());
        if (serving != null) {
            String[] served = serving.get();
            builder.withDetail("serving_model", served[0]);
            if (served[1] == null || served[1].isEmpty()) {
                builder.down().withDetail("serving", "no version loaded");
            } else {
                builder.withDetail("serving_version", served[1]);
            }
        }
        if (monitor != null) {
            int queued = monitor.queuedRecords();
            long rejected = monitor.rejectedRecords();
            builder.withDetail("monitor_queued_records", queued).withDetail("monitor_rejected_records", rejected);
            if (queued >= queueCapacity) {
                builder.down().withDetail("monitor", "the write queue is full: the monitor store does not keep up or is"
                        + " unreachable");
            }
        }
    }
}
