package io.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Slow, broken and hostile clients affect only themselves. */
class HostileClientIT {

    static final ObjectMapper JSON = new ObjectMapper();
    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    ModelServer server(Predictor predictor) {
        ModelServer s = ModelServer.builder().predictor(predictor).modelName("m").modelVersion("1.0.0").port(0)
                .drainTimeout(Duration.ofMillis(200)).build().start();
        toClose.add(s);
        return s;
    }

    static Predictor constant() {
        return features -> Prediction.of(1, Map.of("1", 0.9, "0", 0.1));
    }

    /** A plain HTTP/1.1 exchange on a socket of its own: the status line and the body. */
    record Reply(int status, String contentType, String body) {
    }

    static Reply exchange(ModelServer server, String request, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.uri().getHost(), server.port()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headerEnd = raw.indexOf("\r\n\r\n");
            String head = headerEnd < 0 ? raw : raw.substring(0, headerEnd);
            String body = headerEnd < 0 ? "" : raw.substring(headerEnd + 4);
            String type = head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring(13).strip()).findFirst().orElse(null);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Reply(Integer.parseInt(head.split(" ")[1]), type, body);
        }
    }

    static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int eol = body.indexOf("\r\n", i);
            int size = Integer.parseInt(body.substring(i, eol).strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    }

    static String post(String path, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
                + b.length + "\r\n\r\n" + body;
    }

    /** Opens 16 connections that send the given start and then one more byte a second. */
    private List<Socket> slowClients(ModelServer server, String start, AtomicBoolean stop, ExecutorService pool) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket(server.uri().getHost(), server.port());
            sockets.add(s);
            pool.submit(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(start.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    while (!stop.get()) {
                        Thread.sleep(1000);
                        out.write('a');
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed us: that is allowed
                }
                return null;
            });
        }
        return sockets;
    }

    @ParameterizedTest
    @ValueSource(strings = {"request-line", "headers", "body", "announced-gigabyte"})
    void sixteenSlowClientsDoNotStopTheServerAnsweringOthers(String attack) throws Exception {
        ModelServer server = server(constant());
        String start = switch (attack) {
            case "request-line" -> "GET /hea";
            case "headers" -> "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ";
            case "body" -> "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"x\": \"";
            default -> "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n";
        };
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newCachedThreadPool();
        List<Socket> sockets = slowClients(server, start, stop, pool);
        try {
            Thread.sleep(500);
            // the slow clients keep trickling all along (until stop): other clients are answered meanwhile
            // (the 20 s socket deadline is only there so that a blocked server fails the test rather than hang it)
            for (int i = 0; i < 5; i++) {
                Reply health = exchange(server, get("/health"), Duration.ofSeconds(20));
                assertThat(health.status()).isEqualTo(200);
                Reply predict = exchange(server, post("/predict", "{\"x\": 1}"), Duration.ofSeconds(20));
                assertThat(predict.status()).isEqualTo(200);
                Thread.sleep(500);
            }
        } finally {
            stop.set(true);
            for (Socket s : sockets) {
                s.close();
            }
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
        "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "GARBAGE\r\n\r\n",
        "GET /health HTTP/9.9\r\nHost: x\r\n\r\n",
        "POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"})
    void malformedRequestsGetTheLibrarysJsonWithoutClassNames(String request) throws Exception {
        ModelServer server = server(constant());
        Reply r = exchange(server, request, Duration.ofSeconds(5));
        assertThat(r.status()).isBetween(400, 599);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(JSON.readTree(r.body()).path("error").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("java.").doesNotContain("<html").doesNotContain("jetty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"x\":1} trailing", "{\"x\":1}{\"y\":2}", "{\"x\":1}]", "[{\"x\":1}] 7"})
    void trailingContentAfterTheJsonIsRejected(String body) throws Exception {
        ModelServer server = server(constant());
        Reply r = exchange(server, post("/predict", body), Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("error").asText()).contains("after the JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"x\": 1e400}", "{\"x\": -1e400}", "[{\"x\": [1, 2e999]}]", "{\"x\": NaN}", "{\"x\": Infinity}"})
    void nonFiniteNumbersAreRejected(String body) throws Exception {
        List<Map<String, Object>> seen = new ArrayList<>();
        ModelServer server = server(features -> {
            seen.add(features);
            return Prediction.of(1);
        });
        Reply r = exchange(server, post("/predict", body), Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(400);
        assertThat(seen).isEmpty();
    }

    @Test
    void aLabelThatCannotBeWrittenIsAJson500CountedAsAnError() throws Exception {
        ModelServer server = server(features -> Prediction.of(new Object()));
        Reply r = exchange(server, post("/predict", "{\"x\": 1}"), Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(500);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).isEqualTo("internal error");
        assertThat(body.path("error_id").asText()).hasSize(36);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("java.");
        String metrics = exchange(server, get("/metrics"), Duration.ofSeconds(5)).body();
        assertThat(metrics).containsPattern("mlops_requests_total\\{endpoint=\"predict\",[^}]*status=\"500\"\\} 1");
    }

    static long openFileDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void startingOnABusyPortLeaksNoFileDescriptor() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc");
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ModelServer.Builder builder = ModelServer.builder().predictor(constant()).port(busy.getLocalPort());
            for (int i = 0; i < 5; i++) { // warm up: classes, selectors, thread pools
                assertThatThrownBy(() -> builder.build().start()).isInstanceOf(io.mlops.core.MlopsException.class);
            }
            long before = openFileDescriptors();
            for (int i = 0; i < 50; i++) {
                assertThatThrownBy(() -> builder.build().start()).isInstanceOf(io.mlops.core.MlopsException.class)
                        .hasMessageContaining("Cannot listen on");
            }
            assertThat(openFileDescriptors()).isLessThanOrEqualTo(before + 2);
        }
    }

    @Test
    void connectionsBeyondTheLimitPerClientAreClosed() throws Exception {
        ModelServer server = ModelServer.builder().predictor(constant()).port(0).maxConnectionsPerClient(4).build().start();
        toClose.add(server);
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket(server.uri().getHost(), server.port());
                s.getOutputStream().write("GET /hea".getBytes(StandardCharsets.ISO_8859_1));
                held.add(s);
            }
            // the server counts the four as they open; until it has, a fifth may still be let in: try again
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean refused = false;
            while (!refused) {
                assertThat(System.nanoTime() < deadline).as("within 60 s a fifth connection is closed at once").isTrue();
                try (Socket fifth = new Socket(server.uri().getHost(), server.port())) {
                    fifth.setSoTimeout(2000);
                    refused = fifth.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // let in before the server counted the others
                }
            }
            // another client is served
            Reply ok;
            try (Socket other = new Socket()) {
                other.bind(new InetSocketAddress("127.0.0.2", 0));
                other.connect(new InetSocketAddress(server.uri().getHost(), server.port()), 3000);
                other.getOutputStream().write(get("/health").getBytes(StandardCharsets.ISO_8859_1));
                other.setSoTimeout(5000);
                String raw = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(raw).as("response to another client").startsWith("HTTP/1.1 ");
                ok = new Reply(Integer.parseInt(raw.split(" ")[1]), null, raw);
            }
            assertThat(ok.status()).isEqualTo(200);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        // and once the server has seen the held connections close, this client is served again
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                assertThat(exchange(server, get("/health"), Duration.ofSeconds(20)).status()).isEqualTo(200);
                break;
            } catch (IOException | RuntimeException closedStill) {
                assertThat(System.nanoTime() < deadline).as("within 60 s the client is served again").isTrue();
                Thread.sleep(20);
            }
        }
    }

    @Test
    void bodiesBeyondTheServersBudgetAre503WhileTheOthersComplete() throws Exception {
        ModelServer server = ModelServer.builder().predictor(constant()).port(0).maxRequestBytes(1 << 20)
                .maxBufferedBytes(1 << 20).requestTimeout(Duration.ofSeconds(60)).build().start();
        toClose.add(server);
        byte[] padding = " ".repeat(300 << 10).getBytes(StandardCharsets.US_ASCII);
        String head = "POST /predict HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + "Content-Length: ";
        String replyA;
        String replyB;
        try (Socket a = new Socket(server.uri().getHost(), server.port());
             Socket b = new Socket(server.uri().getHost(), server.port())) {
            a.setSoTimeout(30_000);
            b.setSoTimeout(30_000);
            // A sends 300 KiB of a 300 KiB + 7 byte body and waits
            OutputStream outA = a.getOutputStream();
            outA.write((head + (padding.length + 7) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            outA.write(padding);
            outA.flush();
            // B sends a whole body of 800 KiB: together more than the 1 MiB budget, each alone less
            String bodyB = "{\"x\":1}" + " ".repeat((800 << 10) - 7);
            try {
                b.getOutputStream().write((head + bodyB.length() + "\r\n\r\n" + bodyB).getBytes(StandardCharsets.US_ASCII));
                b.getOutputStream().flush();
            } catch (IOException closed) {
                // refused and closed while still sending: allowed
            }
            // which of the two passes the budget depends on how the server's reads interleave: read B's answer
            // only once A's is decided, so first finish A's body (a refused A was closed: its write may fail)
            try {
                outA.write("{\"x\":1}".getBytes(StandardCharsets.US_ASCII));
                outA.flush();
            } catch (IOException closed) {
                // A was the one refused
            }
            replyA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            replyB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        // exactly one was refused, with Retry-After, and the other was served
        List<String> replies = List.of(replyA, replyB);
        assertThat(replies).as(replies.toString()).filteredOn(r -> r.startsWith("HTTP/1.1 503")).singleElement().asString()
                .containsIgnoringCase("Retry-After: 1").contains("retry shortly");
        assertThat(replies).filteredOn(r -> r.startsWith("HTTP/1.1 200")).hasSize(1);
        // with both gone, a body as large as B's fits again
        String big = "{\"x\":1}" + " ".repeat(800 << 10);
        assertThat(exchange(server, post("/predict", big), Duration.ofSeconds(30)).status()).isEqualTo(200);
    }
}
