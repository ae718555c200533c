package io.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.serving.spi.EmbeddedRequest;
import io.mlops.serving.spi.EmbeddedResponse;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server built {@code embedded()} answers requests a host hands over through
 * {@link ModelServer#handle}, exactly as its own port would — and holds against hostile bodies: an
 * announced length over the limit is refused unread, an endless body is read one byte past the
 * limit, a trickling body is 408, a broken one 400, many bodies at once stay within the budget.
 */
class EmbeddedServerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "an-embedded-token-0123456789";
    ModelServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A request as a host would hand it over. */
    record Req(String method, String path, Map<String, String> headers, long contentLength, InputStreamSource source)
            implements EmbeddedRequest {
        static Req post(String path, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return new Req("POST", path, auth(), bytes.length, () -> new ByteArrayInputStream(bytes));
        }

        static Req get(String path) {
            return new Req("GET", path, auth(), 0, () -> InputStream.nullInputStream());
        }

        static Map<String, String> auth() {
            Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            h.put("Authorization", "Bearer " + TOKEN);
            return h;
        }

        @Override
        public String header(String name) {
            return headers.get(name);
        }

        @Override
        public Iterable<String> headerNames() {
            return headers.keySet();
        }

        @Override
        public InputStream body() throws IOException {
            return source.open();
        }
    }

    interface InputStreamSource {
        InputStream open() throws IOException;
    }

    ModelServer.Builder iris() {
        return ModelServer.builder().predictor(f -> Prediction.of(((Number) f.get("x")).doubleValue() * 2))
                .modelName("doubler").modelVersion("1.0.0").bearerToken(TOKEN).embedded();
    }

    static JsonNode json(EmbeddedResponse r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void answersAsItsOwnPortWouldWithoutOne() throws Exception {
        ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.inMemory()).defaultRules(false).build();
        server = iris().monitor(monitor).build();
        assertThat(server.handle(Req.post("/predict", "{\"x\": 2}")).status()).as("before start").isEqualTo(503);
        server.start();
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("embedded");
        assertThatThrownBy(server::uri).isInstanceOf(IllegalStateException.class);

        EmbeddedResponse r = server.handle(Req.post("/predict", "{\"x\": 2}"));
        assertThat(r.status()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(json(r).get("prediction").asDouble()).isEqualTo(4.0);
        assertThat(json(r).get("model_version").asText()).isEqualTo("1.0.0");
        EmbeddedResponse batch = server.handle(Req.post("/batch_predict", "{\"instances\": [{\"x\": 1}, {\"x\": 3}]}"));
        assertThat(json(batch).get("predictions").toString()).contains("2.0", "6.0");
        EmbeddedResponse infer = server.handle(Req.post("/v2/models/doubler/infer",
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [5]}]}"));
        assertThat(infer.status()).as(new String(infer.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(json(infer).at("/outputs/0/data/0").asDouble()).isEqualTo(10.0);
        assertThat(server.handle(Req.get("/health")).status()).isEqualTo(200);
        assertThat(new String(server.handle(Req.get("/metrics")).body(), StandardCharsets.UTF_8))
                .contains("endpoint=\"predict\"");
        monitor.flush();
        assertThat(monitor.metrics(Duration.ofHours(1)).counts().predictions()).isEqualTo(4);

        server.close();
        EmbeddedResponse closed = server.handle(Req.post("/predict", "{\"x\": 2}"));
        assertThat(closed.status()).isEqualTo(503);
        assertThat(closed.headers()).containsEntry("Retry-After", "1");
        monitor.close();
    }

    @Test
    void errorsAreTheServersJson() throws Exception {
        server = ModelServer.builder().predictor(f -> {
            throw new IllegalStateException("secret internals");
        }).bearerToken(TOKEN).embedded().build().start();
        EmbeddedResponse unknown = server.handle(Req.get("/nope"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).contains("no such endpoint");
        EmbeddedResponse method = server.handle(Req.get("/predict"));
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.headers()).containsEntry("Allow", "POST");
        EmbeddedResponse noToken = server.handle(new Req("POST", "/predict", Map.of(), 2,
                () -> new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8))));
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.headers()).containsEntry("WWW-Authenticate", "Bearer");
        EmbeddedResponse malformed = server.handle(Req.post("/predict", "{\"x\": "));
        assertThat(malformed.status()).isEqualTo(400);
        EmbeddedResponse failed = server.handle(Req.post("/predict", "{\"x\": 1}"));
        assertThat(failed.status()).isEqualTo(500);
        assertThat(new String(failed.body(), StandardCharsets.UTF_8)).contains("error_id").doesNotContain("secret")
                .doesNotContain("IllegalStateException").doesNotContain("\tat ");
    }

    @Test
    void anAnnouncedBodyOverTheLimitIsRefusedUnread() throws Exception {
        server = iris().maxRequestBytes(1024).build().start();
        EmbeddedResponse r = server.handle(new Req("POST", "/predict", Req.auth(), 1L << 40, () -> {
            throw new AssertionError("the body of a request announced over the limit must not be read");
        }));
        assertThat(r.status()).isEqualTo(413);
    }

    @Test
    void anEndlessBodyIsReadOneBytePastTheLimit() throws Exception {
        server = iris().maxRequestBytes(4096).build().start();
        AtomicLong read = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read.incrementAndGet();
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) ' ');
                read.addAndGet(len);
                return len;
            }
        };
        EmbeddedResponse r = server.handle(new Req("POST", "/predict", Req.auth(), -1, () -> endless));
        assertThat(r.status()).isEqualTo(413);
        assertThat(read.get()).isEqualTo(4097);
        // a body that lied about its length is held to the limit too
        read.set(0);
        assertThat(server.handle(new Req("POST", "/predict", Req.auth(), 10, () -> endless)).status()).isEqualTo(413);
        assertThat(read.get()).isLessThanOrEqualTo(4097);
    }

    @Test
    void aTricklingBodyIsTimedOutAndABrokenOneIs400() throws Exception {
        server = iris().requestTimeout(Duration.ofMillis(300)).build().start();
        InputStream trickle = new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                b[off] = (byte) read();
                return 1;
            }
        };
        EmbeddedResponse slow = server.handle(new Req("POST", "/predict", Req.auth(), -1, () -> trickle));
        assertThat(slow.status()).isEqualTo(408);
        assertThat(slow.headers()).containsEntry("Connection", "close");

        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset by peer");
            }
        };
        EmbeddedResponse r = server.handle(new Req("POST", "/predict", Req.auth(), 100, () -> broken));
        assertThat(r.status()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("reset");
    }

    @Test
    void manyBodiesAtOnceStayWithinTheBudget() throws Exception {
        // 8 bodies of 64 KiB held open together against a budget of 128 KiB: some must be refused
        server = iris().maxRequestBytes(96 * 1024).maxBufferedBytes(128 * 1024).build().start();
        int clients = 8;
        CountDownLatch allStarted = new CountDownLatch(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<EmbeddedResponse>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                java.util.concurrent.atomic.AtomicBoolean arrived = new java.util.concurrent.atomic.AtomicBoolean();
                Runnable arrive = () -> {
                    if (arrived.compareAndSet(false, true)) {
                        allStarted.countDown();
                    }
                };
                InputStream body = new InputStream() {
                    int sent;

                    @Override
                    public int read() {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (sent == 40 * 1024) { // hold 40 KiB until every client holds its own or was refused
                            arrive.run();
                            try {
                                allStarted.await();
                            } catch (InterruptedException e) {
                                throw new IOException(e);
                            }
                        }
                        if (sent >= 64 * 1024) {
                            return -1;
                        }
                        int n = Math.min(len, Math.min(4096, (sent < 40 * 1024 ? 40 * 1024 : 64 * 1024) - sent));
                        java.util.Arrays.fill(b, off, off + n, (byte) ' ');
                        sent += n;
                        return n;
                    }
                };
                answers.add(pool.submit(() -> {
                    try {
                        return server.handle(new Req("POST", "/predict", Req.auth(), -1, () -> body));
                    } finally {
                        arrive.run(); // a refused client no longer holds anything
                    }
                }));
            }
            int refused = 0;
            for (Future<EmbeddedResponse> f : answers) {
                EmbeddedResponse r = f.get();
                assertThat(r.status()).isIn(400, 503); // a body of spaces is malformed JSON once it is all read
                if (r.status() == 503) {
                    refused++;
                    assertThat(r.headers()).containsEntry("Retry-After", "1");
                }
            }
            assertThat(refused).as("bodies refused for the budget").isGreaterThan(0);
        } finally {
            pool.shutdownNow();
        }
        // the budget is given back: a request after them is served
        assertThat(server.handle(Req.post("/predict", "{\"x\": 1}")).status()).isEqualTo(200);
    }

    @Test
    void concurrentHostThreadsEachGetTheirOwnAnswer() throws Exception {
        server = iris().build().start();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Double>> answers = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int x = i;
                answers.add(pool.submit(() -> json(server.handle(Req.post("/predict", "{\"x\": " + x + "}")))
                        .get("prediction").asDouble()));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get()).isEqualTo(2.0 * i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTraceparentHeaderJoinsTheCallersTrace() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build()) {
            server = iris().openTelemetry(otel).build().start();
            Map<String, String> headers = Req.auth();
            headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            byte[] body = "{\"x\": 1}".getBytes(StandardCharsets.UTF_8);
            assertThat(server.handle(new Req("POST", "/predict", headers, body.length, () -> new ByteArrayInputStream(body)))
                    .status()).isEqualTo(200);
            assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(s -> {
                assertThat(s.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
                assertThat(s.getParentSpanId()).isEqualTo("b7ad6b7169203331");
                assertThat(s.getName()).isEqualTo("POST /predict");
            });
        }
    }
}
