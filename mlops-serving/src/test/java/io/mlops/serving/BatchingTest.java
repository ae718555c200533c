package io.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Dynamic batching: every request gets the answer of its own instance, the same as unbatched;
 * concurrent requests share model calls; a failing instance fails only its own request.
 */
class BatchingTest {

    /** A model whose calls take a while (so that requests pile up) and count. */
    static final class SlowModel implements Predictor {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger batchCalls = new AtomicInteger();

        static double f(Map<String, Object> x) {
            Object bad = x.get("bad");
            if (Boolean.TRUE.equals(bad)) {
                throw new IllegalArgumentException("instance " + x.get("n") + " is bad");
            }
            return ((Number) x.get("n")).doubleValue() * 3 + 1;
        }

        @Override
        public Prediction predict(Map<String, Object> features) {
            calls.incrementAndGet();
            pause();
            double y = f(features);
            return new Prediction(y, null, y);
        }

        @Override
        public List<Prediction> predictBatch(List<Map<String, Object>> instances) {
            batchCalls.incrementAndGet();
            pause();
            List<Prediction> out = new ArrayList<>();
            for (Map<String, Object> x : instances) {
                double y = f(x); // one bad instance fails the whole call, as a tensor call would
                out.add(new Prediction(y, null, y));
            }
            return out;
        }

        private static void pause() {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void everyRequestGetsItsOwnAnswerAndCallsAreShared() throws Exception {
        SlowModel model = new SlowModel();
        Predictor batched = Batching.dynamic().runners(1).maxSize(16).maxDelay(Duration.ofMillis(1)).wrap(model);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        int n = thread * 1_000 + i;
                        Prediction p = batched.predict(Map.of("n", n));
                        if (p.score() != n * 3 + 1.0) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        int modelCalls = model.calls.get() + model.batchCalls.get();
        assertThat(modelCalls).as("1,600 requests in fewer model calls").isLessThan(1_600);
        assertThat(model.batchCalls.get()).isPositive();
    }

    @Test
    void aFailingInstanceFailsOnlyItsOwnRequest() throws Exception {
        SlowModel model = new SlowModel();
        Predictor batched = Batching.dynamic().runners(1).maxSize(64).maxDelay(Duration.ofMillis(5)).wrap(model);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int n = t;
                results.add(pool.submit(() -> {
                    try {
                        return batched.predict(Map.of("n", n, "bad", n % 5 == 0)).score();
                    } catch (IllegalArgumentException e) {
                        return e.getMessage();
                    }
                }));
            }
            for (int n = 0; n < 16; n++) {
                Object r = results.get(n).get();
                if (n % 5 == 0) {
                    assertThat(r).isEqualTo("instance " + n + " is bad");
                } else {
                    assertThat(r).isEqualTo(n * 3 + 1.0);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> Batching.dynamic().maxSize(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Batching.dynamic().maxDelay(Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Batching.dynamic().maxDelay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Batching.dynamic().p99Budget(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Batching.dynamic().runners(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theServerBatchesAndShowsItInModelInfo() throws Exception {
        SlowModel model = new SlowModel();
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        try (ModelServer server = ModelServer.builder().predictor(model).modelName("slow").port(0).threads(32)
                .batching(Batching.dynamic().runners(1).p99Budget(Duration.ofSeconds(1)).maxDelay(Duration.ofMillis(2)))
                .build().start()) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        for (int i = 0; i < 20; i++) {
                            int n = thread * 100 + i;
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/predict"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\": " + n + "}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200 || json.readTree(r.body()).get("prediction").asDouble() != n * 3 + 1.0) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> f : results) {
                    assertThat(f.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
            JsonNode info = json.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve("/model_info")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(info.at("/batching/batches").asLong()).isPositive().isLessThanOrEqualTo(320);
            assertThat(info.at("/batching/max_size").asInt()).isEqualTo(32);
            assertThat(info.at("/batching/p99_budget_us").asLong()).isEqualTo(1_000_000);
            String metrics = http.send(HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("# TYPE mlops_batches_total counter").contains("mlops_batched_requests_total{model_version=")
                    .contains("mlops_batch_delay_seconds{model_version=");
            io.mlops.core.testkit.Promtool.check(metrics); // the whole scrape lints, the batcher's families included
        }
    }
}
