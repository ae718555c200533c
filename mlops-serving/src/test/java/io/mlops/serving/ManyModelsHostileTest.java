package io.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlops.registry.ModelRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front of a server of many models against hostile clients: slow bodies hold connections, not
 * the threads other clients need, and end in 408; a body declared too large is refused before it
 * is read; unknown models and endpoints are 404s with a reason.
 */
class ManyModelsHostileTest {

    @TempDir
    Path dir;

    static ModelServer server(ModelRegistry registry) {
        ModelLoader loader = (r, v) -> features -> new Prediction(v.name(), null, 1.0);
        return ModelServer.builder().models(registry, "production", loader).threads(4).requestTimeout(Duration.ofSeconds(2))
                .maxRequestBytes(64 * 1024).port(0).build().start();
    }

    static ModelRegistry registry(Path dir) {
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        for (String name : List.of("a", "b")) {
            registry.register(name).version("1.0.0").artifact(new byte[] {1, 2, 3}).save();
            registry.setAlias(name, "production", "1.0.0");
        }
        return registry;
    }

    @Test
    void slowBodiesHoldConnectionsNotThreads() throws Exception {
        try (ModelServer server = server(registry(dir))) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) { // three times the threads, each sending a tenth of its body
                    Socket s = new Socket("127.0.0.1", server.port());
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /models/a/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"x\": 1").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    slow.add(s);
                }
                HttpResponse<String> meanwhile = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        server.uri().resolve("/models/b/predict")).POST(HttpRequest.BodyPublishers.ofString("{\"x\": 2}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(meanwhile.statusCode()).as(meanwhile.body()).isEqualTo(200);
                assertThat(meanwhile.body()).contains("\"prediction\":\"b\"");
                for (Socket s : slow) {
                    s.setSoTimeout(30_000);
                    InputStream in = s.getInputStream();
                    String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                    assertThat(status).isEqualTo("HTTP/1.1 408");
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void listenersHearEveryModelAndAFailingOneHarmsNothing() throws Exception {
        try (ModelServer server = server(registry(dir))) {
            List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            server.addListener(new io.mlops.serving.spi.ServingListener() {
                @Override
                public void requestCompleted(io.mlops.serving.spi.ServedRequest request) {
                    throw new IllegalStateException("a broken listener");
                }
            });
            AutoCloseable registration = server.addListener(new io.mlops.serving.spi.ServingListener() {
                @Override
                public void requestCompleted(io.mlops.serving.spi.ServedRequest request) {
                    heard.add(request.model() + " " + request.status());
                }

                @Override
                public void modelLoaded(io.mlops.serving.spi.ModelLoad load) {
                    heard.add("loaded " + load.version());
                }
            });
            HttpClient http = HttpClient.newHttpClient();
            for (String model : List.of("a", "b")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/models/" + model + "/predict"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"x\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
            io.mlops.core.testkit.Eventually.await("both requests heard", Duration.ofSeconds(30),
                    () -> heard.contains("a 200") && heard.contains("b 200"));
            assertThat(heard).filteredOn(h -> h.startsWith("loaded")).hasSize(2);
            registration.close();
            http.send(HttpRequest.newBuilder(server.uri().resolve("/models/a/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"x\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(heard.stream().filter(h -> h.equals("a 200"))).hasSize(1);
        }
    }

    @Test
    void tooLargeUnknownAndMalformedGetTheirStatus() throws Exception {
        try (ModelServer server = server(registry(dir))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> big = http.send(HttpRequest.newBuilder(server.uri().resolve("/models/a/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(big.statusCode()).isEqualTo(413);
            for (String path : List.of("/models/nope/predict", "/v2/models/nope/infer", "/v2/repository/models/nope/load", "/nothing")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.body()).contains("error").doesNotContain("Exception");
            }
            HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(server.uri().resolve("/models/a/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(garbage.statusCode()).isEqualTo(400);
            assertThat(server.loadedModels()).containsOnlyKeys("a");
        }
    }
}
