package io.mlops.serving;

import com.zaxxer.hikari.HikariDataSource;
import io.mlops.core.spi.BlobStore;
import io.mlops.registry.ModelCodec;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.spi.ModelStore;
import io.mlops.test.ChildJvm;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@link ModelServer}s in two JVMs follow one alias of a registry in PostgreSQL (skipped,
 * saying so, when the local server is not reachable). Their poll interval is ten minutes and the
 * test waits at most one, so a swap can only come from the database's notification. The test
 * asserts the event (both servers answer the new version, no request fails), not how fast: the
 * swap time is printed, and measured by {@code bin/benchmarks FleetSwap} (the README's figure).
 */
class FleetServingIT {

    private static final Pattern VERSION = Pattern.compile("\"model_version\"\\s*:\\s*\"([^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void bothServersSwapOnTheNotificationWithoutAFailedRequest() throws Exception {
        TestDatabases.PostgresSchema schema = TestDatabases.postgres(getClass().getSimpleName()).orElse(null);
        Assumptions.assumeTrue(schema != null, "PostgreSQL not reachable at 127.0.0.1:5432");
        try (schema) {
            ModelRegistry registry = ModelRegistry.builder().store(ModelStore.jdbc(schema.dataSource()))
                    .blobStore(BlobStore.fileSystem(dir.resolve("blobs"))).build();
            for (String v : List.of("1.0.0", "2.0.0")) {
                registry.register("churn").version(v).artifact(v.getBytes(StandardCharsets.UTF_8)).save();
            }
            registry.setAlias("churn", "production", "1.0.0");
            try (ChildJvm a = ChildJvm.start(ServerChild.class, schema.jdbcUrl(), dir.resolve("blobs").toString());
                 ChildJvm b = ChildJvm.start(ServerChild.class, schema.jdbcUrl(), dir.resolve("blobs").toString())) {
                List<URI> servers = List.of(port(a), port(b));
                HttpClient http = HttpClient.newHttpClient();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger failures = new AtomicInteger();
                AtomicInteger served = new AtomicInteger();
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<?>> load = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    URI server = servers.get(c % 2);
                    load.add(pool.submit(() -> {
                        while (!stop.get()) {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.resolve("/predict"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"x\": 1}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                failures.incrementAndGet();
                            }
                            served.incrementAndGet();
                        }
                        return null;
                    }));
                }
                long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (served.get() < 20 && System.nanoTime() < warm) {
                    Thread.sleep(5);
                }
                long t0 = System.nanoTime();
                registry.setAlias("churn", "production", "2.0.0");
                long[] swappedAfter = new long[2];
                for (int s = 0; s < 2; s++) {
                    long deadline = t0 + TimeUnit.SECONDS.toNanos(60); // well below the ten-minute poll
                    while (!version(http, servers.get(s)).equals("2.0.0")) {
                        assertThat(System.nanoTime() < deadline).as("server %d follows the move within a minute", s).isTrue();
                        Thread.sleep(5);
                    }
                    swappedAfter[s] = System.nanoTime() - t0;
                }
                int before = served.get();
                while (served.get() < before + 20) {
                    Thread.sleep(5); // requests on the new version too
                }
                stop.set(true);
                for (Future<?> f : load) {
                    f.get(1, TimeUnit.MINUTES);
                }
                pool.shutdown();
                System.out.printf("swapped after %.0f ms and %.0f ms; %d requests, %d failed%n",
                        swappedAfter[0] / 1e6, swappedAfter[1] / 1e6, served.get(), failures.get());
                assertThat(failures.get()).isZero();
                assertThat(served.get()).isGreaterThan(40);
            }
        }
    }

    private static URI port(ChildJvm child) throws InterruptedException {
        String line = child.awaitLine("listening ", Duration.ofSeconds(60));
        return URI.create("http://127.0.0.1:" + line.substring("listening ".length()).trim());
    }

    private static String version(HttpClient http, URI server) throws Exception {
        String body = http.send(HttpRequest.newBuilder(server.resolve("/predict"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = VERSION.matcher(body);
        return m.find() ? m.group(1) : "";
    }

    /** Child JVM: serves "churn"@production from the PostgreSQL registry, polling only once a minute. */
    public static final class ServerChild {
        public static void main(String[] args) throws Exception {
            HikariDataSource pool = TestDatabases.pool(args[0], 3);
            ModelRegistry registry = ModelRegistry.builder().store(ModelStore.jdbc(pool))
                    .blobStore(BlobStore.fileSystem(Path.of(args[1]))).build();
            ModelLoader echo = (r, version) -> {
                String v = new String(r.load(version, ModelCodec.bytes()), StandardCharsets.UTF_8);
                return features -> Prediction.of(v);
            };
            ModelServer server = ModelServer.builder().fromRegistry(registry, "churn", "production", echo)
                    .pollInterval(Duration.ofMinutes(10)).port(0).build().start();
            System.out.println("listening " + server.port());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
