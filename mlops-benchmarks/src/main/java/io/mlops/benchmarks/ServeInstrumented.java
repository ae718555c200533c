package io.mlops.benchmarks;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mlops.micrometer.MlopsMeters;
import io.mlops.micrometer.ServerMeters;
import io.mlops.monitor.ModelMonitor;
import io.mlops.serving.ModelServer;
import io.mlops.serving.Prediction;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link ServeTrivialModel}'s server (the same model, a SQLite monitor logging every request),
 * optionally with the JVM stack's instrumentation on: Micrometer (a Prometheus registry with
 * percentile histograms on the request timer, the server and the monitor bound, scraped every 15 s)
 * and OpenTelemetry (the SDK with a {@link BatchSpanProcessor}, W3C propagation, spans handed to an
 * exporter that counts them — the export's network cost is the collector's, not the server's).
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.ServeInstrumented 8099 plain &amp;
 * java -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.ServeInstrumented 8099 instrumented &amp;   # or meters, traces
 * wrk -t2 -c16 -d20s --latency -s mlops-benchmarks/src/main/resources/predict_traced.lua http://127.0.0.1:8099/predict
 * </pre>
 */
public final class ServeInstrumented {

    private ServeInstrumented() {
    }

    /** Counts the spans it is given and drops them (the export's network cost is the collector's). */
    static final class CountingExporter implements SpanExporter {
        final LongAdder spans = new LongAdder();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.add(batch.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /**
     * @param args the port, then {@code plain}, {@code meters} (Micrometer only), {@code traces} (OpenTelemetry
     *     only) or {@code instrumented} (both)
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String mode = args.length > 1 ? args[1] : "plain";
        boolean instrumented = mode.equals("instrumented");
        boolean traced = instrumented || mode.equals("traces");
        boolean metered = instrumented || mode.equals("meters");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("mlops-serve-bench");
        ModelMonitor monitor = ModelMonitor.builder()
                .store(io.mlops.monitor.spi.MonitorStore.sqlite(dir.resolve("monitor.db"))).build();
        ModelServer.Builder builder = ModelServer.builder()
                .predictor(f -> {
                    double tenure = ((Number) f.getOrDefault("tenure_months", 0)).doubleValue();
                    double p = tenure < 12 ? 0.8 : 0.2;
                    return Prediction.of(p >= 0.5 ? 1 : 0, Map.of("1", p, "0", 1 - p));
                })
                .modelName("trivial").modelVersion("1.0.0").monitor(monitor).port(port);
        CountingExporter exporter = new CountingExporter();
        OpenTelemetrySdk otel = null;
        if (traced) {
            otel = OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build())
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
            builder.openTelemetry(otel);
        }
        ModelServer server = builder.build();
        if (metered) {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            meters.config().meterFilter(new MeterFilter() {
                @Override
                public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                    return id.getName().equals(ServerMeters.REQUESTS)
                            ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config) : config;
                }
            });
            MlopsMeters.bind(meters, server);
            MlopsMeters.bind(meters, monitor);
            ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "scraper");
                t.setDaemon(true);
                return t;
            });
            scraper.scheduleAtFixedRate(() -> System.out.println("scrape " + meters.scrape().length() + " chars, spans "
                    + exporter.spans.sum()), 15, 15, TimeUnit.SECONDS);
        }
        server.start();
        OpenTelemetrySdk sdk = otel;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            monitor.close();
            if (sdk != null) {
                sdk.close();
            }
        }));
        System.out.println("listening " + server.port() + " " + mode);
        new CountDownLatch(1).await();
    }
}
