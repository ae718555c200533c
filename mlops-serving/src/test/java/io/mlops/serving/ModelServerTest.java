package io.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ModelServerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "s3cret-token-0123456789";

    @TempDir
    Path dir;

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A model: churn when tenure is short and charges high. */
    static Prediction churn(Map<String, Object> f) {
        double tenure = ((Number) f.get("tenure_months")).doubleValue();
        if (tenure < 0) {
            throw new IllegalStateException("secret internal detail: tenure " + tenure);
        }
        double p = tenure < 12 ? 0.8 : 0.2;
        return Prediction.of(p >= 0.5 ? 1 : 0, Map.of("1", p, "0", 1 - p));
    }

    ModelServer start(ModelServer.Builder builder) {
        ModelServer server = builder.port(0).build().start();
        toClose.add(server);
        return server;
    }

    HttpResponse<String> send(ModelServer server, String method, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void everyEndpointAnswers() throws Exception {
        ModelMonitor monitor = ModelMonitor.builder().build();
        toClose.add(monitor);
        ModelServer server = start(ModelServer.builder().predictor(ModelServerTest::churn).modelName("churn")
                .modelVersion("2.0.0").monitor(monitor)
                .featureSchema(FeatureSchema.builder().number("tenure_months").optionalString("contract").build())
                .info("owner", "ml-team"));

        HttpResponse<String> health = send(server, "GET", "/health", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asText()).isEqualTo("healthy");
        assertThat(json(health).get("model_version").asText()).isEqualTo("2.0.0");
        assertThat(json(health).has("requests_served")).isTrue();
        assertThat(json(health).has("uptime_seconds")).isTrue();

        HttpResponse<String> one = send(server, "POST", "/predict", "{\"tenure_months\": 3}", null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode p = json(one);
        assertThat(p.get("prediction").asInt()).isEqualTo(1);
        assertThat(p.at("/probabilities_by_class/1").asDouble()).isEqualTo(0.8);
        // the chapter's fields too: predictions always a list, probabilities as lists in class order
        assertThat(p.get("predictions").toString()).isEqualTo("[1]");
        assertThat(p.get("classes").toString()).isEqualTo("[\"0\",\"1\"]");
        assertThat(p.at("/probabilities/0/0").asDouble()).isCloseTo(0.2, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(p.at("/probabilities/0/1").asDouble()).isEqualTo(0.8);
        assertThat(p.get("processing_time_seconds").asDouble()).isPositive().isLessThan(p.get("processing_time_ms").asDouble());
        assertThat(java.time.Instant.parse(p.get("timestamp").asText())).isNotNull();
        assertThat(p.get("model_version").asText()).isEqualTo("2.0.0");
        assertThat(p.get("processing_time_ms").asDouble()).isPositive();
        assertThat(p.get("prediction_id").asLong()).isPositive();

        HttpResponse<String> many = send(server, "POST", "/predict", "[{\"tenure_months\": 3}, {\"tenure_months\": 40}]", null);
        assertThat(json(many).get("predictions").toString()).isEqualTo("[1,0]");

        HttpResponse<String> batch = send(server, "POST", "/batch_predict",
                "{\"instances\": [{\"tenure_months\": 1}, {\"tenure_months\": 2}, {\"tenure_months\": 50}], \"batch_size\": 2}", null);
        JsonNode b = json(batch);
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(b.get("count").asInt()).isEqualTo(3);
        assertThat(b.get("num_instances").asInt()).isEqualTo(3);
        assertThat(b.get("probabilities")).hasSize(3);
        assertThat(b.get("processing_time_seconds").asDouble()).isPositive();
        assertThat(java.time.Instant.parse(b.get("timestamp").asText())).isNotNull();
        assertThat(b.get("batch_size").asInt()).isEqualTo(2);
        assertThat(b.get("predictions").toString()).isEqualTo("[1,1,0]");
        assertThat(b.get("throughput_per_second").asDouble()).isPositive();

        JsonNode info = json(send(server, "GET", "/model_info", null, null));
        assertThat(info.get("model_name").asText()).isEqualTo("churn");
        assertThat(info.get("model_type").asText()).contains("ModelServerTest");
        assertThat(info.get("owner").asText()).isEqualTo("ml-team");
        assertThat(info.at("/feature_schema/0/name").asText()).isEqualTo("tenure_months");
        assertThat(info.get("features").toString()).isEqualTo("[\"tenure_months\",\"contract\"]");
        assertThat(info.get("n_features").asInt()).isEqualTo(2);
        assertThat(info.at("/config/owner").asText()).isEqualTo("ml-team");

        HttpResponse<String> metrics = send(server, "GET", "/metrics", null, null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body()).contains("# TYPE mlops_requests_total counter")
                .contains("mlops_requests_total{endpoint=\"predict\",model_version=\"2.0.0\",status=\"200\"} 2")
                .contains("mlops_request_duration_seconds_bucket{endpoint=\"predict\",model_version=\"2.0.0\",status=\"200\",le=\"+Inf\"} 2");

        monitor.flush();
        assertThat(monitor.metrics(Duration.ofMinutes(5)).counts().predictions()).isEqualTo(6);
    }

    @Test
    void errorsAreJsonWithTheRightStatusAndNoInternals() throws Exception {
        ModelMonitor monitor = ModelMonitor.builder().build();
        toClose.add(monitor);
        ModelServer server = start(ModelServer.builder().predictor(ModelServerTest::churn).monitor(monitor)
                .featureSchema(FeatureSchema.builder().number("tenure_months").build()).maxRequestBytes(1000));

        HttpResponse<String> malformed = send(server, "POST", "/predict", "{\"tenure_months\": ", null);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).get("error").asText()).startsWith("malformed JSON at line 1");
        assertThat(malformed.body()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("jackson");

        HttpResponse<String> wrongType = send(server, "POST", "/predict", "{\"tenure_months\": \"three\"}", null);
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(json(wrongType).get("field").asText()).isEqualTo("tenure_months");
        assertThat(json(wrongType).get("error").asText()).isEqualTo("feature 'tenure_months' must be a number but was a string");

        HttpResponse<String> missing = send(server, "POST", "/predict", "[{\"tenure_months\": 1}, {}]", null);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).get("error").asText()).isEqualTo("instance 1: missing required feature 'tenure_months'");

        assertThat(send(server, "POST", "/predict", "42", null).statusCode()).isEqualTo(400);
        assertThat(send(server, "POST", "/predict", "", null).statusCode()).isEqualTo(400);
        assertThat(send(server, "POST", "/batch_predict", "{\"instances\": 3}", null).statusCode()).isEqualTo(400);
        assertThat(json(send(server, "POST", "/batch_predict", "{\"instances\": [], \"batch_size\": 0}", null)).get("field").asText())
                .isEqualTo("batch_size");

        HttpResponse<String> tooBig = send(server, "POST", "/predict", "{\"tenure_months\": 1, \"pad\": \"" + "x".repeat(2000) + "\"}", null);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(json(tooBig).get("error").asText()).contains("over 1000 bytes");

        HttpResponse<String> notFound = send(server, "GET", "/nothing", null, null);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(json(notFound).get("error").asText()).isEqualTo("no such endpoint: /nothing");

        HttpResponse<String> wrongMethod = send(server, "GET", "/predict", null, null);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");

        HttpResponse<String> crash = send(server, "POST", "/predict", "{\"tenure_months\": -1}", null);
        assertThat(crash.statusCode()).isEqualTo(500);
        assertThat(json(crash).get("error").asText()).isEqualTo("internal error");
        assertThat(json(crash).get("error_id").asText()).hasSize(36);
        assertThat(crash.body()).doesNotContain("secret").doesNotContain("IllegalState").doesNotContain("at io.");
        monitor.flush();
        assertThat(monitor.metrics(Duration.ofMinutes(1)).counts().errors()).isEqualTo(1);
    }

    @Test
    void aBearerTokenGuardsEverythingButHealth() throws Exception {
        ModelServer server = start(ModelServer.builder().predictor(ModelServerTest::churn).bearerToken(TOKEN));
        assertThat(send(server, "GET", "/health", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> none = send(server, "POST", "/predict", "{\"tenure_months\": 3}", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(send(server, "POST", "/predict", "{\"tenure_months\": 3}", TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(send(server, "GET", "/metrics", null, "wrong").statusCode()).isEqualTo(401);
        assertThat(send(server, "POST", "/predict", "{\"tenure_months\": 3}", TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void readersDeployersAndAdminsMayPredictAndNobodyElse() throws Exception {
        io.mlops.core.AccessTokens tokens = io.mlops.core.AccessTokens.builder()
                .token(io.mlops.core.AccessTokens.Role.READER, "reader-" + TOKEN)
                .token(io.mlops.core.AccessTokens.Role.DEPLOYER, "deployer-" + TOKEN)
                .token(io.mlops.core.AccessTokens.Role.ADMIN, "admin-" + TOKEN).build();
        ModelServer server = start(ModelServer.builder().predictor(ModelServerTest::churn).accessTokens(tokens));
        for (String role : new String[] {"reader-", "deployer-", "admin-"}) {
            assertThat(send(server, "POST", "/predict", "{\"tenure_months\": 3}", role + TOKEN).statusCode()).as(role).isEqualTo(200);
        }
        for (String wrong : new String[] {TOKEN, "reader-" + TOKEN.substring(1), "READER-" + TOKEN, "x".repeat(5_000)}) {
            HttpResponse<String> r = send(server, "POST", "/predict", "{\"tenure_months\": 3}", wrong);
            assertThat(r.statusCode()).as(wrong.length() > 100 ? "a 5,000-character token" : wrong).isIn(401, 431);
            assertThat(r.body()).doesNotContain(TOKEN);
        }
        assertThat(send(server, "GET", "/health", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void sixteenConcurrentClientsGetNoFailuresAndTheMonitorCountsEveryRequest() throws Exception {
        ModelMonitor monitor = ModelMonitor.builder().build();
        toClose.add(monitor);
        ModelServer server = start(ModelServer.builder().predictor(ModelServerTest::churn).monitor(monitor).modelVersion("1.0.0"));
        int clients = 16;
        int each = 500;
        CyclicBarrier go = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Integer>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            results.add(pool.submit(() -> {
                go.await();
                int ok = 0;
                for (int i = 0; i < each; i++) {
                    HttpResponse<String> r = send(server, "POST", "/predict", "{\"tenure_months\": " + ((client + i) % 30) + "}", null);
                    if (r.statusCode() == 200) {
                        ok++;
                    }
                }
                return ok;
            }));
        }
        int ok = 0;
        for (Future<Integer> f : results) {
            ok += f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(ok).isEqualTo(clients * each);
        monitor.flush();
        MetricsSnapshot m = monitor.metrics(Duration.ofMinutes(10));
        assertThat(m.counts().predictions()).isEqualTo(clients * each);
        assertThat(m.counts().errors()).isZero();
    }

    ModelRegistry registryWith(String... versions) {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        for (String v : versions) {
            registry.register("churn").version(v).artifact(v.getBytes(StandardCharsets.UTF_8)).save();
        }
        return registry;
    }

    /** A "model" whose answer is its own version, read from the artifact. */
    static final ModelLoader VERSION_ECHO = (registry, version) -> {
        String v = new String(registry.load(version, io.mlops.registry.ModelCodec.bytes()), StandardCharsets.UTF_8);
        return features -> Prediction.of(v);
    };

    @Test
    void movingTheAliasDuringALoadSwapsVersionsWithoutAFailedRequest() throws Exception {
        ModelRegistry registry = registryWith("1.0.0", "2.0.0");
        registry.setAlias("churn", "production", "1.0.0");
        ModelServer server = start(ModelServer.builder().fromRegistry(registry, "churn", "production", VERSION_ECHO)
                .pollInterval(Duration.ofMillis(50)));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            load.add(pool.submit(() -> {
                while (!stop.get()) {
                    HttpResponse<String> r = send(server, "POST", "/predict", "{\"x\": 1}", null);
                    if (r.statusCode() != 200) {
                        failures.incrementAndGet();
                    } else {
                        JsonNode j = json(r);
                        assertThat(j.get("prediction").asText()).isEqualTo(j.get("model_version").asText());
                        seen.add(j.get("model_version").asText());
                    }
                }
                return null;
            }));
        }
        eventually("the load is served by 1.0.0", () -> seen.contains("1.0.0"));
        registry.setAlias("churn", "production", "2.0.0");
        eventually("the server swaps to 2.0.0", () -> "2.0.0".equals(server.modelVersion()));
        // twenty answers of 2.0.0: every request begun after the swap is answered by it
        eventually("answers of 2.0.0", () -> java.util.Collections.frequency(List.copyOf(seen), "2.0.0") >= 20);
        stop.set(true);
        for (Future<?> f : load) {
            f.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(failures.get()).isZero();
        assertThat(seen).contains("1.0.0", "2.0.0");
        assertThat(seen.get(seen.size() - 1)).isEqualTo("2.0.0");
        assertThat(server.modelVersion()).isEqualTo("2.0.0");
        // rollback = move the alias back
        registry.rollback("churn", "production");
        eventually("the rollback is followed", () -> "1.0.0".equals(server.modelVersion()));
        assertThat(json(send(server, "POST", "/predict", "{}", null)).get("model_version").asText()).isEqualTo("1.0.0");
    }

    @Test
    void aTenPercentCanaryGetsItsShareAndResponsesNameTheVersion() throws Exception {
        ModelRegistry registry = registryWith("1.0.0", "1.1.0");
        registry.setAlias("churn", "production", "1.0.0");
        registry.setAlias("churn", "staging", "1.1.0");
        ModelMonitor monitor = ModelMonitor.builder().build();
        toClose.add(monitor);
        ModelServer server = start(ModelServer.builder().fromRegistry(registry, "churn", "production", VERSION_ECHO)
                .canary("staging", 0.10).monitor(monitor));
        assertThat(server.canaryVersion()).isEqualTo("1.1.0");
        int n = 10_000;
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n / 100; i++) {
            // single requests: each one is routed on its own
            for (int j = 0; j < 100; j++) {
                JsonNode r = json(send(server, "POST", "/predict", "{}", null));
                counts.merge(r.get("model_version").asText(), 1, Integer::sum);
            }
        }
        int canary = counts.getOrDefault("1.1.0", 0);
        // binomial(10000, 0.1): mean 1000, sd 30; 5 sd either side
        assertThat(canary).isBetween(850, 1150);
        assertThat(counts.get("1.0.0") + canary).isEqualTo(n);
        monitor.flush();
        assertThat(monitor.metrics(Duration.ofMinutes(10), "1.1.0").counts().predictions()).isEqualTo(canary);
    }

    @Test
    void anAbTestIsStickyPerKey() throws Exception {
        ModelRegistry registry = registryWith("1.0.0", "1.1.0");
        registry.setAlias("churn", "production", "1.0.0");
        registry.setAlias("churn", "b", "1.1.0");
        ModelServer server = start(ModelServer.builder().fromRegistry(registry, "churn", "production", VERSION_ECHO)
                .abTest("b", 0.5, "user_id"));
        Map<String, String> versionOf = new HashMap<>();
        int inB = 0;
        for (int round = 0; round < 3; round++) {
            for (int user = 0; user < 200; user++) {
                String v = json(send(server, "POST", "/predict", "{\"user_id\": \"u-" + user + "\"}", null))
                        .get("model_version").asText();
                String before = versionOf.putIfAbsent("u-" + user, v);
                assertThat(before == null || before.equals(v)).as("user u-%d stays on one version", user).isTrue();
                if (round == 0 && v.equals("1.1.0")) {
                    inB++;
                }
            }
        }
        assertThat(inB).isBetween(60, 140); // binomial(200, 0.5): mean 100, sd 7
        assertThat(json(send(server, "POST", "/predict", "{}", null)).get("model_version").asText()).isEqualTo("1.0.0");
    }

    @Test
    void closeDrainsAndStopsItsThreads() throws Exception {
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        ModelServer server = ModelServer.builder().predictor(f -> {
            running.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Prediction.of(1);
        }).port(0).build().start();
        ExecutorService client = Executors.newSingleThreadExecutor();
        Future<HttpResponse<String>> inFlight = client.submit(() -> send(server, "POST", "/predict", "{}", null));
        client.shutdown();
        assertThat(running.await(60, TimeUnit.SECONDS)).as("the request reached the model").isTrue();
        server.close();
        assertThat(inFlight.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        eventually("the server's threads end", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("mlops-serving")));
    }

    /** Waits, up to a generous deadline, until the condition holds: tests assert events, not durations. */
    static void eventually(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.call()) {
            assertThat(System.nanoTime() < deadline).as("within 60 s: " + what).isTrue();
            Thread.sleep(20);
        }
    }
}
