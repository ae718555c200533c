package io.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Open Inference Protocol's tensors reach a predictor that can take them as primitive arrays,
 * and a request may hold at most {@code maxRequestElements} values, counted before they are read.
 */
class OipTensorPathTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();
    final List<Map<String, Object>> seen = new CopyOnWriteArrayList<>();
    final List<ModelServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ModelServer::close);
    }

    /** A server of one numeric feature "x" that records what the model was given. */
    ModelServer server(ModelServer.Builder b) {
        ModelServer s = b.predictor(features -> {
            seen.add(features);
            return Prediction.of(1);
        }).featureSchema(FeatureSchema.builder().number("x").build()).modelName("m").port(0).build().start();
        servers.add(s);
        return s;
    }

    HttpResponse<String> infer(ModelServer server, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.uri() + "v2/models/m/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String tensor(String name, String datatype, String shape, String data) {
        return "{\"name\":\"" + name + "\",\"datatype\":\"" + datatype + "\",\"shape\":" + shape + ",\"data\":" + data + "}";
    }

    static String request(String... tensors) {
        return "{\"inputs\":[" + String.join(",", tensors) + "]}";
    }

    JsonNode error(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").asText()).doesNotContain("Exception").doesNotContain("io.mlops");
        return body;
    }

    @Test
    void moreElementsThanARequestMayHoldIs413BeforeTheyAreRead() throws Exception {
        ModelServer s = server(ModelServer.builder().maxRequestElements(1000));
        // the shape alone is enough: the 413 comes before any element is read or any array allocated
        JsonNode body = error(infer(s, request(tensor("x", "FP64", "[1001]", "[1]"))), 413);
        assertThat(body.get("error").asText()).contains("1000").contains("maxRequestElements");
        // data before its shape is counted as it is read
        String dataFirst = "{\"inputs\":[{\"data\":[" + "1,".repeat(1000) + "1],\"name\":\"x\",\"datatype\":\"FP64\","
                + "\"shape\":[1001]}]}";
        error(infer(s, dataFirst), 413);
        assertThat(infer(s, request(tensor("x", "FP64", "[999]", "[" + "1,".repeat(998) + "1]"))).statusCode()).isEqualTo(200);
        // and /predict counts its JSON values
        HttpResponse<String> predict = http.send(HttpRequest.newBuilder(URI.create(s.uri() + "predict"))
                .POST(HttpRequest.BodyPublishers.ofString("[" + "{\"x\":1},".repeat(600) + "{\"x\":1}]")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(error(predict, 413).get("error").asText()).contains("maxRequestElements");
    }

    @Test
    void aPredictorThatTakesTensorsGetsThePrimitiveArrays() throws Exception {
        List<TensorBatch> batches = new CopyOnWriteArrayList<>();
        Predictor sums = new Predictor() {
            @Override
            public Prediction predict(Map<String, Object> features) {
                throw new AssertionError("the tensor path was not taken");
            }

            @Override
            public List<Prediction> predictTensors(TensorBatch batch) {
                batches.add(batch);
                Tensor t = batch.tensors().get(0);
                List<Prediction> out = new ArrayList<>();
                for (int r = 0; r < batch.rows(); r++) {
                    double sum = 0;
                    for (int c = 0; c < t.columns(); c++) {
                        sum += t.doubles().get(r * t.columns() + c);
                    }
                    out.add(Prediction.of(sum));
                }
                return out;
            }
        };
        ModelServer s = ModelServer.builder().predictor(sums).modelName("m").port(0)
                .featureSchema(FeatureSchema.builder().number("a").number("b").number("c").build()).build().start();
        servers.add(s);
        HttpResponse<String> r = infer(s, request(tensor("input", "FP32", "[2, 3]", "[[1, 2, 3], [4, 5, 6.5]]")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).at("/outputs/0/data").toString()).isEqualTo("[\"6.0\",\"15.5\"]");
        assertThat(batches.get(0).isMatrix()).isTrue();
        assertThat(batches.get(0).features()).containsExactly("a", "b", "c");
        assertThat(batches.get(0).instances().get(1)).containsEntry("c", 6.5).hasSize(3);
    }
}
