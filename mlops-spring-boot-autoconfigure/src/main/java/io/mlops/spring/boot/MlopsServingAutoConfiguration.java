package io.mlops.spring.boot;

import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelLoader;
import io.mlops.serving.ModelServer;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The prediction server, when {@code mlops.serving.model} is set: it serves the model's
 * {@code mlops.serving.alias} from the registry bean on a port of its own
 * ({@code mlops.serving.host}/{@code .port}), logs every prediction to the monitor bean, and traces
 * through the application's {@code OpenTelemetry} bean when there is one. Versions are loaded by the
 * application's {@code ModelLoader} bean, else, with {@code io.mlops:mlops-onnx}, as ONNX models. The
 * server starts once the context is refreshed and stops (draining) when it closes.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = MlopsAutoConfiguration.class)
@ConditionalOnClass(ModelServer.class)
@ConditionalOnProperty(name = "mlops.serving.model")
public class MlopsServingAutoConfiguration {

    /**
     * The server.
     *
     * @param p the properties
     * @param registry the registry
     * @param loader the loader
     * @param monitor the monitor, if any
     * @param otel the application's OpenTelemetry, if any
     * @return the server, started by {@link #mlopsModelServerLifecycle} once the context is refreshed
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ModelServer mlopsModelServer(MlopsProperties p, ModelRegistry registry, ObjectProvider<ModelLoader> loader,
                                        ObjectProvider<ModelMonitor> monitor, ObjectProvider<OpenTelemetry> otel) {
        MlopsProperties.Serving s = p.getServing();
        ModelLoader l = loader.getIfUnique();
        if (l == null) {
            throw new IllegalStateException("mlops.serving.model is set but there is no ModelLoader: define a ModelLoader"
                    + " bean, or add io.mlops:mlops-onnx to serve ONNX models");
        }
        ModelServer.Builder b = ModelServer.builder().fromRegistry(registry, s.getModel(), s.getAlias(), l)
                .host(s.getHost()).port(s.getPort()).pollInterval(s.getPollInterval());
        monitor.ifAvailable(b::monitor);
        otel.ifUnique(b::openTelemetry);
        if (s.getBearerToken() != null && !s.getBearerToken().isEmpty()) {
            b.bearerToken(s.getBearerToken());
        }
        return b.build();
    }

    /**
     * Starts the server when the context has been refreshed — after every bean, the meter binders
     * included, so that the first load is timed and traced — and stops it, draining, before the
     * context's beans are destroyed.
     *
     * @param server the server
     * @return the lifecycle
     */
    @Bean
    public org.springframework.context.SmartLifecycle mlopsModelServerLifecycle(ModelServer server) {
        return new org.springframework.context.SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                server.start();
                running = true;
            }

            @Override
            public void stop() {
                server.close();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }

    /** ONNX models, when mlops-onnx is present and the application defines no loader. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.mlops.onnx.OnnxModel")
    static class Onnx {
        /** @return the ONNX loader */
        @Bean
        @ConditionalOnMissingBean
        ModelLoader mlopsOnnxLoader() {
            return io.mlops.onnx.OnnxModel.loader();
        }
    }
}
