package io.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's memory under large and hostile bodies, in a JVM of its own with a bounded heap (so
 * that running out of memory shows as a dead or failing server, not a failed test JVM). Deadlines
 * are generous: these assert what happens, not how fast.
 */
class ServingMemoryIT {

    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    Process child;
    final StringBuffer childOutput = new StringBuffer();

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    /** Starts a server JVM with the given heap; returns its base URI. */
    URI start(String heap, long maxRequestBytes, long maxRequestElements, long requestTimeoutMillis) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                ChildServer.class.getName(), String.valueOf(maxRequestBytes), String.valueOf(maxRequestElements),
                String.valueOf(requestTimeoutMillis)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        int port = -1;
        while ((line = out.readLine()) != null) {
            childOutput.append(line).append('\n');
            if (line.startsWith("port ")) {
                port = Integer.parseInt(line.substring(5).strip());
                break;
            }
        }
        assertThat(port).as("the child server did not start:\n%s", childOutput).isPositive();
        Thread drain = new Thread(() -> {
            try {
                String l;
                while ((l = out.readLine()) != null) {
                    childOutput.append(l).append('\n');
                }
            } catch (IOException e) {
                // the child ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    HttpResponse<String> post(URI base, String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    void assertAlive(URI base) throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("health")).timeout(Duration.ofMinutes(1))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(childOutput.toString()).isEqualTo(200);
        HttpResponse<String> predict = post(base, "predict", "{\"x\": 2.5}".getBytes(StandardCharsets.UTF_8));
        assertThat(predict.statusCode()).as(predict.body()).isEqualTo(200);
        assertThat(child.isAlive()).isTrue();
        assertThat(childOutput.toString()).doesNotContain("OutOfMemoryError");
    }

    /** An inference request of one FP64 tensor of the shape, every element 1, as ~2 bytes each. */
    static byte[] ones(String name, long rows, long columns) {
        long n = rows * columns;
        StringBuilder b = new StringBuilder((int) (2 * n + 200));
        b.append("{\"inputs\":[{\"name\":\"").append(name).append("\",\"datatype\":\"FP64\",\"shape\":[").append(rows);
        if (columns > 1) {
            b.append(',').append(columns);
        }
        b.append("],\"data\":[");
        for (long i = 0; i < n; i++) {
            b.append(i == 0 ? "1" : ",1");
        }
        return b.append("]}]}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aTenMillionElementTensorWithinARaisedBodyLimitIs413WithoutExhaustingA768MbHeap() throws Exception {
        // before: boxed lists and a map per row, ~200 bytes per element: OutOfMemoryError at 768 MB
        URI base = start("768m", 32L << 20, ModelServer.DEFAULT_MAX_REQUEST_ELEMENTS, 60_000);
        HttpResponse<String> r = post(base, "v2/models/m/infer", ones("x", 10_000_000, 1));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains("maxRequestElements");
        assertAlive(base);
    }

    @Test
    void withTheElementLimitRaisedTenMillionElementsAreServedAsOneArrayIn768Mb() throws Exception {
        URI base = start("768m", 32L << 20, 10_000_000, 60_000);
        HttpResponse<String> r = post(base, "v2/models/m/infer", ones("matrix", 999, 10_000)); // 9.99 million elements
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode data = JSON.readTree(r.body()).at("/outputs/0/data");
        assertThat(data).hasSize(999);
        assertThat(data.get(998).asText()).isEqualTo("10000.0");
        assertAlive(base);
    }

    @Test
    void sixtyFourConnectionsAnnouncingSixteenMibEachTakeOnlyWhatTheySent() throws Exception {
        // before: each announced Content-Length was allocated at once: 64 x 16 MiB in a 256 MB heap
        URI base = start("256m", 17L << 20, ModelServer.DEFAULT_MAX_REQUEST_ELEMENTS, 5_000);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                Socket s = new Socket(base.getHost(), base.getPort());
                sockets.add(s);
                OutputStream out = s.getOutputStream();
                out.write(("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + (16 << 20) + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            assertAlive(base);
            // each of them then times out on its own (408), and the server stays whole
            for (Socket s : sockets) {
                s.setSoTimeout(60_000);
                String reply = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(reply).isEqualTo("HTTP/1.1 408");
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertAlive(base);
    }
}
