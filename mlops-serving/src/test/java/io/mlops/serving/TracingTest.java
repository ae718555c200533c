package io.mlops.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.registry.ModelRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an OpenTelemetry SDK (its in-memory exporter), a request carrying a W3C traceparent gets a
 * SERVER span, child of the caller's, with the documented attributes; the monitor's records hold
 * its trace id, found both ways; the predictor's own spans are children; loads are spans; a bad
 * traceparent starts a new trace; without an SDK nothing is recorded.
 */
class TracingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final String PARENT = "b7ad6b7169203331";

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();
    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk otel;
    ModelServer server;
    ModelMonitor monitor;

    @BeforeEach
    void sdk() {
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        monitor = ModelMonitor.builder().store(MonitorStore.inMemory()).defaultRules(false).build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        monitor.close();
        otel.close();
    }

    HttpResponse<String> post(String path, String body, String traceparent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    ModelServer.Builder fromRegistry(Predictor model) {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        registry.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
        registry.setAlias("churn", "production", "1.0.0");
        return ModelServer.builder().fromRegistry(registry, "churn", "production", (reg, v) -> model).monitor(monitor).port(0);
    }

    List<SpanData> serverSpans() {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.SERVER).toList();
    }

    @Test
    void aRequestWithATraceparentIsAChildSpanAndItsPredictionsCarryTheTraceId() throws Exception {
        server = fromRegistry(features -> {
            // the predictor's own span: a child of the request's
            otel.getTracer("the-model").spanBuilder("forest").startSpan().end();
            return Prediction.of(1);
        }).openTelemetry(otel).build().start();

        HttpResponse<String> r = post("predict", "{\"x\": 1}", "00-" + TRACE + "-" + PARENT + "-01");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        long id = JSON.readTree(r.body()).get("prediction_id").asLong();

        SpanData span = serverSpans().get(0);
        assertThat(serverSpans()).hasSize(1);
        assertThat(span.getName()).isEqualTo("POST /predict");
        assertThat(span.getTraceId()).isEqualTo(TRACE);
        assertThat(span.getParentSpanId()).isEqualTo(PARENT);
        assertThat(span.getAttributes().asMap()).containsEntry(AttributeKey.stringKey("mlops.model.name"), "churn")
                .containsEntry(AttributeKey.stringKey("mlops.model.version"), "1.0.0")
                .containsEntry(AttributeKey.stringKey("mlops.model.alias"), "production")
                .containsEntry(AttributeKey.stringKey("mlops.model.role"), "primary")
                .containsEntry(AttributeKey.stringKey("http.route"), "/predict")
                .containsEntry(AttributeKey.longKey("http.response.status_code"), 200L);
        SpanData inner = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("forest")).findFirst().orElseThrow();
        assertThat(inner.getParentSpanId()).isEqualTo(span.getSpanId());
        assertThat(spans.getFinishedSpanItems()).anySatisfy(s -> {
            assertThat(s.getName()).isEqualTo("mlops.model.load");
            assertThat(s.getAttributes().get(AttributeKey.stringKey("mlops.model.version"))).isEqualTo("1.0.0");
        });

        monitor.flush();
        assertThat(monitor.predictionsOfTrace(TRACE)).containsExactly(id);
        assertThat(monitor.traceOf(id)).contains(TRACE);
    }

    @Test
    void everyInferenceEndpointIsTracedAndOthersAreNot() throws Exception {
        server = fromRegistry(features -> Prediction.of(1)).openTelemetry(otel).build().start();
        assertThat(post("batch_predict", "{\"instances\": [{\"x\": 1}, {\"x\": 2}, {\"x\": 3}]}", null).statusCode()).isEqualTo(200);
        String infer = "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 1], \"datatype\": \"FP64\", \"data\": [1, 2]}]}";
        HttpResponse<String> oip = post("v2/models/churn/infer", infer, null);
        assertThat(oip.statusCode()).as(oip.body()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("health")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);

        assertThat(serverSpans()).extracting(SpanData::getName)
                .containsExactly("POST /batch_predict", "POST /v2/models/{model_name}/infer");
        monitor.flush();
        for (SpanData s : serverSpans()) {
            assertThat(s.getParentSpanContext().isValid()).as("a new trace without a traceparent").isFalse();
            assertThat(monitor.predictionsOfTrace(s.getTraceId())).as(s.getName()).hasSize(s.getName().contains("batch") ? 3 : 2);
        }
    }

    @Test
    void aFailingModelMarksItsSpanAndABadTraceparentStartsANewTrace() throws Exception {
        server = fromRegistry(features -> {
            if (features.containsKey("boom")) {
                throw new IllegalStateException("the model failed");
            }
            return Prediction.of(1);
        }).openTelemetry(otel).build().start();
        assertThat(post("predict", "{\"boom\": 1}", null).statusCode()).isEqualTo(500);
        for (String bad : new String[] {"garbage", "00-" + "0".repeat(32) + "-" + PARENT + "-01", "00-" + TRACE + "-zz-01",
                "00-" + TRACE + "x".repeat(2_000)}) {
            assertThat(post("predict", "{\"x\": 1}", bad).statusCode()).as(bad.length() > 80 ? "a long one" : bad).isEqualTo(200);
        }
        List<SpanData> all = serverSpans();
        assertThat(all.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(all.get(0).getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(500L);
        assertThat(all.subList(1, all.size())).hasSize(4).allSatisfy(s -> {
            assertThat(s.getTraceId()).isNotEqualTo(TRACE).isNotEqualTo("0".repeat(32));
            assertThat(s.getParentSpanContext().isValid()).isFalse();
        });
    }

    @Test
    void theDefaultRecordsNothing() throws Exception {
        server = fromRegistry(features -> Prediction.of(1)).build().start();
        HttpResponse<String> r = post("predict", "{\"x\": 1}", "00-" + TRACE + "-" + PARENT + "-01");
        assertThat(r.statusCode()).isEqualTo(200);
        long id = JSON.readTree(r.body()).get("prediction_id").asLong();
        monitor.flush();
        assertThat(monitor.traceOf(id)).isEmpty();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
}
