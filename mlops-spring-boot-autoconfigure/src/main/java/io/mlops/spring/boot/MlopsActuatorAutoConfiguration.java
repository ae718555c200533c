package io.mlops.spring.boot;

import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Actuator parts: the {@code mlops} health indicator (with {@code spring-boot-health}) and the
 * {@code mlops} endpoint (with {@code spring-boot-actuator}).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = {MlopsAutoConfiguration.class, MlopsServingAutoConfiguration.class})
@ConditionalOnBean(ModelRegistry.class)
public class MlopsActuatorAutoConfiguration {

    /** The health indicator, where Spring Boot's health support is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Health {
        /**
         * @param registry the registry
         * @param monitor the monitor, if any
         * @param p the properties
         * @param server the prediction server, if any
         * @return the indicator, bean {@code mlopsHealthIndicator} (shown as {@code mlops})
         */
        @Bean
        @ConditionalOnMissingBean(name = "mlopsHealthIndicator")
        MlopsHealthIndicator mlopsHealthIndicator(ModelRegistry registry, ObjectProvider<ModelMonitor> monitor, MlopsProperties p,
                                                  ObjectProvider<io.mlops.serving.ModelServer> server) {
            io.mlops.serving.ModelServer s = server.getIfUnique();
            return new MlopsHealthIndicator(registry, monitor.getIfAvailable(), p.getMonitor().getQueueCapacity(),
                    s == null ? null : () -> new String[] {p.getServing().getModel(), s.modelVersion()});
        }
    }

    /** The endpoint, where Actuator's endpoint support is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static class Endpoints {
        /**
         * @param registry the registry
         * @return the endpoint
         */
        @Bean
        @ConditionalOnMissingBean
        MlopsEndpoint mlopsEndpoint(ModelRegistry registry) {
            return new MlopsEndpoint(registry);
        }
    }
}
