package io.mlops.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.ModelServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The prediction endpoints inside a real Spring Boot application's own web server (Spring MVC on
 * Tomcat, a random port): the chapter's and the Open Inference Protocol's endpoints under
 * {@code /mlops}, beside the application's controllers and Actuator, which keep theirs — and the
 * hostile clients of every new surface: oversized, endless, malformed, trickling, cut-off and
 * concurrent requests, each affecting only itself.
 */
@SpringBootTest(classes = {TestApplication.class, ServingInTheApplicationTest.Hello.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mlops.serving.bearer-token=" + ServingInTheApplicationTest.TOKEN, "management.endpoints.web.exposure.include=health"})
@org.springframework.test.context.TestPropertySource(locations = "classpath:application-readme-serving.properties")
class ServingInTheApplicationTest {

    static final String TOKEN = "spring-embedded-token-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "mlops-spring-serving-" + ProcessHandle.current().pid());
    static final String IRIS = "{\"sepal_length\": 5.8, \"sepal_width\": 2.8, \"petal_length\": 5.1, \"petal_width\": 2.4}";
    final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    Environment env;
    @Autowired
    ModelServer server;

    /** The application's own controller. */
    @RestController
    static class Hello {
        @GetMapping("/hello")
        String hello() {
            return "hello from the application";
        }
    }

    @BeforeAll
    static void register() throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(ROOT.resolve("registry"));
        registry.register("iris").version("1.0.0")
                .artifact(Files.readAllBytes(Path.of("../mlops-onnx/src/test/resources/models/iris_logreg.onnx"))).save();
        registry.setAlias("iris", "production", "1.0.0");
    }

    @DynamicPropertySource
    static void root(DynamicPropertyRegistry r) {
        r.add("mlops.root", ROOT::toString);
        r.add("spring.datasource.url", () -> "jdbc:sqlite:" + ROOT.resolve("app.db")); // the application's own, unused
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + env.getProperty("local.server.port") + path);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, boolean token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (token) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theReadmeShowsTheseProperties() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String line : Files.readAllLines(Path.of("src/test/resources/application-readme-serving.properties"))) {
            assertThat(readme).as("README property line").contains(line.strip());
        }
        assertThat(readme).contains("/mlops/predict").contains("/mlops/v2/models/iris/infer");
    }

    @Test
    void theEndpointsAnswerInsideTheApplicationsServerBesideItsOwn() throws Exception {
        assertThatThrownBy(server::port).as("no port of its own").isInstanceOf(IllegalStateException.class);
        HttpResponse<String> predict = post("/mlops/predict", IRIS);
        assertThat(predict.statusCode()).as(predict.body()).isEqualTo(200);
        assertThat(JSON.readTree(predict.body()).get("prediction").asInt()).isEqualTo(2); // virginica, as scikit-learn says
        assertThat(predict.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(
                "application/json"));

        StringBuilder inputs = new StringBuilder();
        JsonNode features = JSON.readTree(IRIS);
        features.fieldNames().forEachRemaining(f -> inputs.append(inputs.isEmpty() ? "" : ",").append("{\"name\": \"")
                .append(f).append("\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [").append(features.get(f))
                .append("]}"));
        HttpResponse<String> infer = post("/mlops/v2/models/iris/infer", "{\"inputs\": [" + inputs + "]}");
        assertThat(infer.statusCode()).as(infer.body()).isEqualTo(200);
        assertThat(JSON.readTree(infer.body()).at("/outputs/0/data/0").asInt()).isEqualTo(2);
        assertThat(get("/mlops/v2/models/iris", true).statusCode()).isEqualTo(200);
        assertThat(get("/mlops/v2/health/ready", false).statusCode()).isEqualTo(200);
        assertThat(get("/mlops/health", false).statusCode()).isEqualTo(200);

        assertThat(get("/hello", false).body()).isEqualTo("hello from the application");
        assertThat(get("/actuator/health", false).statusCode()).isEqualTo(200);

        HttpResponse<String> unknown = get("/mlops/nope", true);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).contains("no such endpoint");
        HttpResponse<String> method = get("/mlops/predict", true);
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(method.headers().firstValue("Allow")).hasValue("POST");
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(uri("/mlops/predict"))
                .POST(HttpRequest.BodyPublishers.ofString(IRIS)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void oversizedEndlessAndMalformedBodiesAreRefusedAsJson() throws Exception {
        HttpResponse<String> big = post("/mlops/predict", "{\"x\": \"" + "a".repeat(100_000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(big.body()).get("error").asText()).contains("over 65536 bytes");

        // no announced length: chunked, 10 MB of spaces; refused one byte past the limit
        InputStream endless = new InputStream() {
            long left = 10_000_000;

            @Override
            public int read() {
                return left-- > 0 ? ' ' : -1;
            }
        };
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri("/mlops/predict")).header("Authorization",
                "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);

        for (String malformed : new String[] {"{\"sepal_length\": ", "[1, 2", "{\"sepal_length\": 1e400}", "\u0000\u0001",
                IRIS + " trailing"}) {
            HttpResponse<String> r = post("/mlops/predict", malformed);
            assertThat(r.statusCode()).as(malformed).isEqualTo(400);
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("io.mlops");
        }
        assertThat(post("/mlops/predict", IRIS).statusCode()).as("served after them").isEqualTo(200);
    }

    @Test
    void aTricklingClientTimesOutAndACutOffOneAffectsOnlyItself() throws Exception {
        int port = Integer.parseInt(env.getProperty("local.server.port"));
        String head = "POST /mlops/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n";
        // cut off: half a body, then the connection closes
        try (Socket cut = new Socket("127.0.0.1", port)) {
            OutputStream out = cut.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write("{\"sepal_length\": ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        // trickling: one byte every 100 ms, past the 1 s request timeout, while others are served
        try (Socket slow = new Socket("127.0.0.1", port)) {
            slow.setSoTimeout(30_000);
            OutputStream out = slow.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            String status = null;
            for (int i = 0; i < 300 && status == null; i++) {
                try {
                    out.write(' ');
                    out.flush();
                } catch (java.io.IOException closed) {
                    break; // the server answered and closed
                }
                if (i == 3) {
                    assertThat(post("/mlops/predict", IRIS).statusCode()).as("another client meanwhile").isEqualTo(200);
                }
                if (slow.getInputStream().available() > 0) {
                    status = new String(slow.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                }
                Thread.sleep(100);
            }
            if (status == null) {
                status = new String(slow.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            }
            assertThat(status).isEqualTo("HTTP/1.1 408");
        }
        assertThat(post("/mlops/predict", IRIS).statusCode()).isEqualTo(200);
    }

    @Test
    void concurrentClientsEachGetTheirOwnAnswer() throws Exception {
        String[] rows = {"{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}",
                "{\"sepal_length\": 6.0, \"sepal_width\": 2.7, \"petal_length\": 4.1, \"petal_width\": 1.2}", IRIS};
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 240; i++) {
                String row = rows[i % 3];
                answers.add(pool.submit(() -> JSON.readTree(post("/mlops/predict", row).body()).get("prediction").asInt()));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get()).as("request " + i).isEqualTo(i % 3); // setosa, versicolor, virginica
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
