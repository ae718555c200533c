package io.mlops.serving;

import io.mlops.registry.ModelRegistry;
import io.mlops.serving.spi.ModelLoad;
import io.mlops.serving.spi.ServedRequest;
import io.mlops.serving.spi.ServingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server's listeners hear every answered request (endpoint, model, the version that answered,
 * status, a duration) and every load from the registry (alias, version, failure); a listener that
 * throws changes no response; a removed listener hears nothing more.
 */
class ServingListenerTest {

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();
    ModelServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    int post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void hearsRequestsAndLoadsAndSurvivesAThrowingListener() throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        for (String v : new String[] {"1.0.0", "2.0.0", "3.0.0"}) {
            registry.register("churn").version(v).artifact(v.getBytes()).save();
        }
        registry.setAlias("churn", "production", "1.0.0");
        ModelLoader loader = (reg, version) -> {
            if (version.version().equals("2.0.0")) {
                throw new IllegalStateException("a broken artifact");
            }
            return features -> Prediction.of(version.version());
        };
        server = ModelServer.builder().fromRegistry(registry, "churn", "production", loader)
                .pollInterval(Duration.ofMillis(50)).port(0).build();
        List<ServedRequest> requests = new CopyOnWriteArrayList<>();
        List<ModelLoad> loads = new CopyOnWriteArrayList<>();
        server.addListener(new ServingListener() {
            @Override
            public void requestCompleted(ServedRequest request) {
                throw new IllegalStateException("a broken listener");
            }

            @Override
            public void modelLoaded(ModelLoad load) {
                throw new IllegalStateException("a broken listener");
            }
        });
        AutoCloseable handle = server.addListener(new ServingListener() {
            @Override
            public void requestCompleted(ServedRequest request) {
                requests.add(request);
            }

            @Override
            public void modelLoaded(ModelLoad load) {
                loads.add(load);
            }
        });
        server.start();
        assertThat(loads).singleElement().satisfies(l -> {
            assertThat(l.model()).isEqualTo("churn");
            assertThat(l.version()).isEqualTo("1.0.0");
            assertThat(l.alias()).isEqualTo("production");
            assertThat(l.succeeded()).isTrue();
            assertThat(l.durationNanos()).isPositive();
        });

        assertThat(post("predict", "{\"x\": 1}")).isEqualTo(200);
        assertThat(post("predict", "not json")).isEqualTo(400);
        assertThat(post("nowhere", "{}")).isEqualTo(404);
        assertThat(requests).extracting(ServedRequest::endpoint, ServedRequest::model, ServedRequest::version,
                ServedRequest::status, ServedRequest::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("predict", "churn", "1.0.0", 200, "SUCCESS"),
                org.assertj.core.groups.Tuple.tuple("predict", "churn", "1.0.0", 400, "CLIENT_ERROR"),
                org.assertj.core.groups.Tuple.tuple("other", "churn", "1.0.0", 404, "CLIENT_ERROR"));
        assertThat(requests).allSatisfy(r -> assertThat(r.durationNanos()).isPositive());

        registry.setAlias("churn", "production", "2.0.0");
        AliasLoadFailureTest.eventually("the failed load is heard", () -> loads.stream().anyMatch(l -> !l.succeeded()));
        ModelLoad failed = loads.stream().filter(l -> !l.succeeded()).findFirst().orElseThrow();
        assertThat(failed.version()).isEqualTo("2.0.0");
        assertThat(failed.failed()).hasValueSatisfying(e -> assertThat(e).hasMessage("a broken artifact"));
        registry.setAlias("churn", "production", "3.0.0");
        AliasLoadFailureTest.eventually("the next version is loaded", () -> loads.stream()
                .anyMatch(l -> l.succeeded() && l.version().equals("3.0.0")));

        handle.close();
        int before = requests.size();
        assertThat(post("predict", "{\"x\": 1}")).isEqualTo(200);
        assertThat(requests).hasSize(before);
    }

    @Test
    void concurrentRequestsAreEachHeardOnce() throws Exception {
        server = ModelServer.builder().predictor(features -> Prediction.of(1)).modelName("m").modelVersion("1")
                .port(0).build().start();
        List<ServedRequest> requests = new CopyOnWriteArrayList<>();
        server.addListener(new ServingListener() {
            @Override
            public void requestCompleted(ServedRequest request) {
                requests.add(request);
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> done = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                done.add(pool.submit(() -> {
                    go.await();
                    return post("predict", "{\"x\": 1}");
                }));
            }
            go.countDown();
            for (Future<Integer> f : done) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(requests).hasSize(400).allSatisfy(r -> assertThat(r.version()).isEqualTo("1"));
    }
}
