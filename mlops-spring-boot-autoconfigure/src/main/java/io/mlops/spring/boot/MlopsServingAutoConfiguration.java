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
 * {@code mlops.serving.alias} from the registry bean, logs every prediction to the monitor bean, and
 * traces through the application's {@code OpenTelemetry} bean when there is one. In a servlet web
 * application (Spring MVC) the endpoints are served inside the application's own web server under
 * {@code mlops.serving.path} (default {@code /mlops}: {@code /mlops/predict},
 * {@code /mlops/v2/models/{name}/infer}, ...) — the application's filters, TLS, port and security
 * apply; otherwise, or with {@code mlops.serving.web-server=standalone}, on a Jetty server of their
 * own at {@code mlops.serving.host}/{@code .port}. Versions are loaded by the application's
 * {@code ModelLoader} bean, else, with {@code io.mlops:mlops-onnx}, as ONNX models. The model is
 * loaded before the application's web server takes requests, and the server stops (draining) after
 * the web server did.
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
     * @param context the application context (is it a servlet web application?)
     * @return the server, started by {@link #mlopsModelServerLifecycle} once the context is refreshed
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ModelServer mlopsModelServer(MlopsProperties p, ModelRegistry registry, ObjectProvider<ModelLoader> loader,
                                        ObjectProvider<ModelMonitor> monitor, ObjectProvider<OpenTelemetry> otel,
                                        org.springframework.context.ApplicationContext context) {
        MlopsProperties.Serving s = p.getServing();
        ModelLoader l = loader.getIfUnique();
        if (l == null) {
            throw new IllegalStateException("mlops.serving.model is set but there is no ModelLoader: define a ModelLoader"
                    + " bean, or add io.mlops:mlops-onnx to serve ONNX models");
        }
        ModelServer.Builder b = ModelServer.builder().fromRegistry(registry, s.getModel(), s.getAlias(), l)
                .pollInterval(s.getPollInterval()).maxRequestBytes(s.getMaxRequestSize().toBytes())
                .requestTimeout(s.getRequestTimeout());
        if (inApplication(s.getWebServer(), context)) {
            b.embedded();
        } else {
            b.host(s.getHost()).port(s.getPort());
        }
        monitor.ifAvailable(b::monitor);
        otel.ifUnique(b::openTelemetry);
        if (s.getBearerToken() != null && !s.getBearerToken().isEmpty()) {
            b.bearerToken(s.getBearerToken());
        }
        return b.build();
    }

    /**
     * Whether the endpoints are served in the application's web server.
     *
     * @param mode what the properties say
     * @param context the application context
     * @return true for the application's web server
     * @throws IllegalStateException when the application's web server is asked for but there is no
     *     servlet web application with Spring MVC
     */
    static boolean inApplication(MlopsProperties.WebServer mode, org.springframework.context.ApplicationContext context) {
        boolean mvc = org.springframework.util.ClassUtils.isPresent("org.springframework.web.servlet.DispatcherServlet",
                MlopsServingAutoConfiguration.class.getClassLoader())
                && context instanceof org.springframework.web.context.WebApplicationContext;
        if (mode == MlopsProperties.WebServer.APPLICATION && !mvc) {
            throw new IllegalStateException("mlops.serving.web-server=application needs a servlet web application with"
                    + " Spring MVC (spring-boot-starter-webmvc); use mlops.serving.web-server=standalone for a server of"
                    + " its own");
        }
        return mode == MlopsProperties.WebServer.APPLICATION || mode == MlopsProperties.WebServer.AUTO && mvc;
    }

    /**
     * Starts the server when the context has been refreshed — after every bean, the meter binders
     * included, so that the first load is timed and traced, and before the application's web server
     * takes requests — and stops it, draining, after the web server stopped.
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

            @Override
            public int getPhase() {
                // below the web server's phase (DEFAULT_PHASE - 1024): started before, stopped after it
                return DEFAULT_PHASE - 2048;
            }
        };
    }

    /** The endpoints inside the application's Spring MVC, under {@code mlops.serving.path}. */
    @Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication(
            type = org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(
            "'${mlops.serving.web-server:auto}'.toLowerCase() != 'standalone'")
    static class InTheApplication {
        /**
         * Maps {@code mlops.serving.path} and everything below it to the server, after the
         * application's own controllers (and Actuator's endpoints), which keep their paths.
         *
         * @param p the properties
         * @param server the server
         * @return the mapping
         */
        @Bean
        org.springframework.web.servlet.handler.SimpleUrlHandlerMapping mlopsServingHandlerMapping(MlopsProperties p,
                                                                                                   ModelServer server) {
            String base = p.getServing().getPath();
            String pattern = base.equals("/") ? "/**" : base + "/**";
            return new org.springframework.web.servlet.handler.SimpleUrlHandlerMapping(
                    java.util.Map.of(pattern, new ServletModelRequests(server)), 1);
        }
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
