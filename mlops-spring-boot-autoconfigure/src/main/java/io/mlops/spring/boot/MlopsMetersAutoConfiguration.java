package io.mlops.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.mlops.micrometer.MlopsMeters;
import io.mlops.micrometer.MonitorMeters;
import io.mlops.micrometer.RegistryMeters;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The library's Micrometer meters as {@code MeterBinder} beans, which Spring Boot binds to the
 * application's {@code MeterRegistry} (and so to {@code /actuator/prometheus}): the registry's
 * change counters, the monitor's gauges and, with a prediction server bean, its request and load timers; the monitor's gauges ({@code mlops.metrics.window}, {@code .refresh}). Needs
 * {@code io.mlops:mlops-micrometer}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = {MlopsAutoConfiguration.class, MlopsServingAutoConfiguration.class})
@ConditionalOnClass({MeterRegistry.class, MlopsMeters.class})
public class MlopsMetersAutoConfiguration {

    /**
     * The registry's change counters.
     *
     * @param registry the model registry
     * @return the binder
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnBean(ModelRegistry.class)
    @ConditionalOnMissingBean
    public RegistryMeters mlopsRegistryMeters(ModelRegistry registry) {
        return new RegistryMeters(registry);
    }

    /**
     * The prediction server's request and load timers.
     *
     * @param server the server
     * @return the binder
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnBean(io.mlops.serving.ModelServer.class)
    @ConditionalOnMissingBean
    public io.mlops.micrometer.ServerMeters mlopsServerMeters(io.mlops.serving.ModelServer server) {
        return new io.mlops.micrometer.ServerMeters(server);
    }

    /**
     * The monitor's gauges.
     *
     * @param monitor the monitor
     * @param p the properties
     * @return the binder
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnBean(ModelMonitor.class)
    @ConditionalOnMissingBean
    public MonitorMeters mlopsMonitorMeters(ModelMonitor monitor, MlopsProperties p) {
        return MonitorMeters.builder(monitor).window(p.getMetrics().getWindow()).refreshInterval(p.getMetrics().getRefresh())
                .build();
    }
}
