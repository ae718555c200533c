package io.mlops.benchmarks;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the JVM stack's instrumentation costs one request, without HTTP (whose noise on a shared
 * host hides a few microseconds): the span path the server takes per inference request (the
 * caller's W3C {@code traceparent} extracted, a SERVER span with the server's attributes started,
 * made current, its trace id read, ended into a {@link BatchSpanProcessor} whose exporter drops
 * what it is given) and the request timer's record (Micrometer, percentile histogram), on two
 * threads as on the two request threads of a busy server.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Threads(2)
public class SpanPathBenchmark {

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private OpenTelemetrySdk otel;
    private Tracer tracer;
    private Timer timer;
    private final Map<String, String> headers = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    /** Builds the SDK and the meter registry as the server's instrumented benchmark does. */
    @Setup
    public void setUp() {
        SpanExporter drop = new ServeInstrumented.CountingExporter();
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(drop).build()).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        tracer = otel.getTracer("io.mlops.serving");
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
            }
        });
        timer = Timer.builder("mlops.server.requests").tags("endpoint", "predict", "model", "m", "version", "1.0.0",
                "status", "200", "outcome", "SUCCESS").register(meters);
    }

    /** Stops the SDK. */
    @TearDown
    public void tearDown() {
        otel.close();
    }

    /** The server's span path for one request. */
    @Benchmark
    public String span() {
        Context parent = otel.getPropagators().getTextMapPropagator().extract(Context.root(), headers, HEADERS);
        Span span = tracer.spanBuilder("POST /predict").setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(AttributeKey.stringKey("http.request.method"), "POST")
                .setAttribute(AttributeKey.stringKey("http.route"), "/predict")
                .setAttribute(AttributeKey.stringKey("mlops.model.name"), "m").startSpan();
        String traceId;
        try (Scope current = span.makeCurrent()) {
            traceId = Span.current().getSpanContext().getTraceId();
        }
        span.setAttribute(AttributeKey.longKey("http.response.status_code"), 200L);
        span.setAttribute(AttributeKey.stringKey("mlops.model.version"), "1.0.0");
        span.setAttribute(AttributeKey.stringKey("mlops.model.role"), "primary");
        span.end();
        return traceId;
    }

    /** The request timer's record. */
    @Benchmark
    public Timer timer() {
        timer.record(734_000, TimeUnit.NANOSECONDS);
        return timer;
    }

    /** The list both paths are compared with: nothing. */
    @Benchmark
    public List<String> baseline() {
        return List.of();
    }
}
