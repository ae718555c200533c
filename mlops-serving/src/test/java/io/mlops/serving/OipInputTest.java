package io.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
 * Open Inference Protocol inputs that must be refused before a model sees them: shapes whose
 * element count overflows, integers out of their datatype's range, two inputs of one name, a key
 * twice (each of these reached the model before, answered 200), and more values than a request may
 * hold ({@code maxRequestElements}, counted before they are read). A predictor that takes tensors
 * gets the primitive arrays.
 */
class OipInputTest {

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

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "[4, 4611686018427387905]; [1, 2, 3, 4]",          // 4 x (2^62 + 1) wraps to 4
        "[3074457345618258603, 6]; [1, 2]",                // wraps to 2
        "[0, 4611686018427387905]; []",
        "[4294967297, 1]; [1]",
        "[2147483648]; [1]"})
    void shapesWhoseElementCountOverflowsAreRefusedBeforeTheModelRuns(String shape, String data) throws Exception {
        ModelServer s = server(ModelServer.builder());
        JsonNode body = error(infer(s, request(tensor("x", "FP64", shape, data))), 400);
        assertThat(body.get("error").asText()).contains("'x'");
        assertThat(body.get("field").asText()).isEqualTo("x");
        assertThat(seen).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "INT8, 300", "INT8, -129", "INT16, 40000", "INT16, -32769", "INT32, 3000000000", "INT32, -2147483649",
        "INT64, 9223372036854775808", "UINT8, 256", "UINT8, -1", "UINT16, 65536", "UINT32, 4294967296", "UINT64, -1",
        "INT32, 1.5", "INT8, 1e400", "FP16, 65520", "FP16, -1e5", "BF16, 1e39", "FP32, 3.5e38", "FP32, -1e39",
        "FP64, 1e400", "FP64, -1e999"})
    void numbersOutOfTheirDatatypesRangeAreRefused(String datatype, String value) throws Exception {
        ModelServer s = server(ModelServer.builder());
        JsonNode body = error(infer(s, request(tensor("x", datatype, "[2]", "[1, " + value + "]"))), 400);
        assertThat(body.get("error").asText()).contains("element 1").contains("range").contains(datatype);
        assertThat(seen).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "INT8, -128, 127", "INT16, -32768, 32767", "INT32, -2147483648, 2147483647",
        "INT64, -9223372036854775808, 9223372036854775807", "UINT8, 0, 255", "UINT16, 0, 65535",
        "UINT32, 0, 4294967295", "UINT64, 0, 9223372036854775807", "FP16, -65504, 65504", "FP32, -3.4e38, 3.4e38",
        "BF16, -3.3e38, 3.3e38", "FP64, -1.7e308, 1.7e308"})
    void theEdgesOfEachRangeReachTheModelExactly(String datatype, String low, String high) throws Exception {
        ModelServer s = server(ModelServer.builder());
        HttpResponse<String> r = infer(s, request(tensor("x", datatype, "[2]", "[" + low + ", " + high + "]")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(seen).hasSize(2);
        Object first = seen.get(0).get("x");
        if (datatype.startsWith("FP") || datatype.equals("BF16")) {
            assertThat(first).isEqualTo(Double.parseDouble(low));
        } else {
            assertThat(first).isEqualTo(Long.parseLong(low));
            assertThat(seen.get(1).get("x")).isEqualTo(Long.parseLong(high));
        }
    }

    @Test
    void twoInputsOfOneNameAreRefusedNamingIt() throws Exception {
        ModelServer s = server(ModelServer.builder());
        JsonNode body = error(infer(s, request(tensor("x", "FP64", "[1]", "[1]"), tensor("x", "FP64", "[1]", "[2]"))), 400);
        assertThat(body.get("error").asText()).contains("two inputs are named 'x'");
        assertThat(body.get("field").asText()).isEqualTo("x");
        assertThat(seen).isEmpty();
    }

    @Test
    void aKeyTwiceInOneTensorOrBodyIsRefused() throws Exception {
        ModelServer s = server(ModelServer.builder());
        error(infer(s, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[1],\"shape\":[2],\"data\":[1,2]}]}"), 400);
        error(infer(s, "{\"inputs\":[" + tensor("x", "FP64", "[1]", "[1]") + "],\"inputs\":[]}"), 400);
        assertThat(seen).isEmpty();
    }

    @Test
    void dataBeforeItsDatatypeAndShapeIsReadTheSame() throws Exception {
        ModelServer s = server(ModelServer.builder());
        HttpResponse<String> r = infer(s, "{\"inputs\":[{\"data\":[[1],[2],[3]],\"name\":\"x\",\"shape\":[3,1],\"datatype\":\"INT32\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(seen).extracting(m -> m.get("x")).containsExactly(1L, 2L, 3L);
        error(infer(s, "{\"inputs\":[{\"data\":[1, 300],\"name\":\"x\",\"shape\":[2],\"datatype\":\"INT8\"}]}"), 400);
        error(infer(s, "{\"inputs\":[{\"data\":[1, 2, 3],\"name\":\"x\",\"shape\":[2],\"datatype\":\"INT8\"}]}"), 400);
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
