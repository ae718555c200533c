package io.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.monitor.ModelMonitor;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /openapi.json} documents every endpoint, and every field the server actually sends. */
class OpenApiTest {

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    JsonNode call(ModelServer server, String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    static void documented(JsonNode api, String schema, JsonNode actual) {
        JsonNode properties = api.at("/components/schemas/" + schema + "/properties");
        assertThat(properties.isMissingNode()).as(schema).isFalse();
        for (Iterator<String> names = actual.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertThat(properties.has(name)).as("%s documents '%s'", schema, name).isTrue();
        }
    }

    @Test
    void everyEndpointAndEveryFieldSentIsDocumented() throws Exception {
        try (ModelMonitor monitor = ModelMonitor.builder().build();
             ModelServer server = ModelServer.builder().predictor(ModelServerTest::churn).modelName("churn").modelVersion("2.0.0")
                     .monitor(monitor).featureSchema(FeatureSchema.builder().number("tenure_months").build())
                     .explanations(List.of(Map.of("tenure_months", 1.0), Map.of("tenure_months", 30.0)))
                     .port(0).build().start()) {
            JsonNode api = call(server, "GET", "/openapi.json", null);
            assertThat(api.get("openapi").asText()).startsWith("3.");
            for (String path : List.of("/health", "/predict", "/batch_predict", "/model_info", "/metrics", "/openapi.json",
                    "/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/{name}", "/v2/models/{name}/versions/{version}",
                    "/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}/ready", "/v2/models/{name}/infer",
                    "/v2/models/{name}/versions/{version}/infer", "/v2/models/{name}/explain",
                    "/v2/models/{name}/versions/{version}/explain")) {
                assertThat(api.get("paths").has(path)).as(path).isTrue();
            }
            documented(api, "Health", call(server, "GET", "/health", null));
            documented(api, "PredictResponse", call(server, "POST", "/predict", "{\"tenure_months\": 3}"));
            documented(api, "PredictResponse", call(server, "POST", "/predict", "[{\"tenure_months\": 3}]"));
            documented(api, "BatchResponse", call(server, "POST", "/batch_predict", "{\"instances\": [{\"tenure_months\": 3}]}"));
            documented(api, "ModelInfo", call(server, "GET", "/model_info", null));
            documented(api, "ModelMetadata", call(server, "GET", "/v2/models/churn", null));
            documented(api, "InferResponse", call(server, "POST", "/v2/models/churn/infer",
                    json.writeValueAsString(Map.of("id", "1", "inputs", List.of(Map.of("name", "tenure_months", "shape", List.of(1),
                            "datatype", "FP64", "data", List.of(3.0)))))));
            documented(api, "ExplainResponse", call(server, "POST", "/v2/models/churn/explain",
                    json.writeValueAsString(Map.of("id", "1", "inputs", List.of(Map.of("name", "tenure_months", "shape", List.of(1),
                            "datatype", "FP64", "data", List.of(3.0)))))));
        }
    }
}
