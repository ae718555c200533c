package io.mlops.benchmarks;

import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelLoader;
import io.mlops.serving.ModelServer;
import io.mlops.serving.Prediction;
import io.mlops.serving.Predictor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The same model served two ways in one process, for {@code wrk} to compare in one run: inside a
 * Spring Boot 4 application's own web server (Spring MVC on Tomcat, the starter's defaults,
 * {@code /mlops/predict}) and by the standalone Jetty server ({@code /predict}). Both follow the
 * same registry alias, load the same {@link ServeTrivialModel} predictor through the same loader,
 * and log every request to a SQLite monitor of their own.
 *
 * <p>Spring Boot is not shaded into {@code benchmarks.jar} (its auto-configuration files would not
 * survive the merge); run it from the module's classes and dependencies:
 * <pre>
 * mvn -q -pl mlops-benchmarks dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
 * java -cp mlops-benchmarks/target/classes:$(cat /tmp/bench.cp) io.mlops.benchmarks.ServeSpring 8098 8099 &amp;
 * wrk -t2 -c16 -d20s --latency -s mlops-benchmarks/src/main/resources/predict.lua http://127.0.0.1:8098/mlops/predict
 * wrk -t2 -c16 -d20s --latency -s mlops-benchmarks/src/main/resources/predict.lua http://127.0.0.1:8099/predict
 * </pre>
 */
public final class ServeSpring {

    private ServeSpring() {
    }

    /** The predictor of {@link ServeTrivialModel}, whatever the artifact. */
    static final ModelLoader TRIVIAL = (registry, version) -> (Predictor) f -> {
        double tenure = ((Number) f.getOrDefault("tenure_months", 0)).doubleValue();
        double p = tenure < 12 ? 0.8 : 0.2;
        return Prediction.of(p >= 0.5 ? 1 : 0, Map.of("1", p, "0", 1 - p));
    };

    /** The Spring Boot application: the starter's beans, and the loader. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class App {
        /** @return the loader of the served model */
        @Bean
        ModelLoader trivialLoader() {
            return TRIVIAL;
        }
    }

    /**
     * @param args the Spring application's port, then the standalone server's
     * @throws Exception when either cannot start
     */
    public static void main(String[] args) throws Exception {
        int springPort = Integer.parseInt(args[0]);
        int jettyPort = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("mlops-serve-spring");
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        registry.register("trivial").version("1.0.0").artifact(new byte[] {1}).save();
        registry.setAlias("trivial", "production", "1.0.0");

        ConfigurableApplicationContext spring = new SpringApplication(App.class).run("--server.port=" + springPort,
                "--mlops.root=" + dir, "--mlops.serving.model=trivial", "--spring.main.banner-mode=off");

        ModelMonitor monitor = ModelMonitor.builder().store(io.mlops.monitor.spi.MonitorStore.sqlite(dir.resolve("jetty.db")))
                .build();
        ModelServer jetty = ModelServer.builder().fromRegistry(registry, "trivial", "production", TRIVIAL).monitor(monitor)
                .port(jettyPort).build().start();
        System.out.println("Spring MVC: http://127.0.0.1:" + springPort + "/mlops/predict; standalone Jetty: " + jetty.uri()
                + "predict");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            jetty.close();
            monitor.close();
            spring.close();
        }));
        Thread.currentThread().join();
    }
}
