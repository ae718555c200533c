package io.mlops.benchmarks;

import io.mlops.console.Console;
import io.mlops.core.ManualClock;
import io.mlops.monitor.ModelMonitor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The console's dashboard page ({@code GET /monitor} over loopback HTTP: the 24-hour table per
 * version and six hour-by-hour charts per version, rendered on the server) with 1,000,000
 * predictions of three model versions spread over 24 hours in the monitor, with feedback on a
 * tenth and some errors.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ConsoleDashboardBenchmark {

    static final int PREDICTIONS = 1_000_000;

    ModelMonitor monitor;
    Console console;
    HttpClient http;
    HttpRequest dashboard;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(3);
        ManualClock clock = new ManualClock(Instant.now().minus(Duration.ofHours(24)));
        monitor = ModelMonitor.builder().clock(clock).defaultRules(false).profileInputs(false).queueCapacity(1_000_000).build();
        String[] versions = {"1.0.0", "1.1.0", "2.0.0"};
        int perMinute = PREDICTIONS / 1440 + 1;
        for (int i = 0; i < PREDICTIONS; i++) {
            String version = versions[r.nextInt(3)];
            long id = monitor.prediction().output(i & 1).latency(Duration.ofNanos(1000L * (500 + r.nextInt(20_000))))
                    .modelVersion(version).log();
            if (i % 10 == 0) {
                monitor.feedback(id, r.nextInt(2));
            }
            if (i % 500 == 0) {
                monitor.error(version, "timeout");
            }
            if (i % perMinute == perMinute - 1) {
                clock.advance(Duration.ofMinutes(1));
            }
        }
        long logged = monitor.metrics(Duration.ofHours(24)).counts().predictions();
        if (logged != PREDICTIONS) {
            throw new IllegalStateException("the monitor holds " + logged + " predictions, not " + PREDICTIONS);
        }
        console = Console.builder().monitor(monitor).port(0).build().start();
        http = HttpClient.newHttpClient();
        dashboard = HttpRequest.newBuilder(console.uri().resolve("/monitor")).build();
    }

    @TearDown
    public void tearDown() {
        console.close();
        monitor.close();
    }

    @Benchmark
    public int dashboardPage() throws Exception {
        HttpResponse<String> r = http.send(dashboard, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("chart-svg")) {
            throw new IllegalStateException("GET /monitor answered " + r.statusCode());
        }
        return r.body().length();
    }

    /** For a quick look without JMH. */
    public static void main(String[] args) throws Exception {
        ConsoleDashboardBenchmark b = new ConsoleDashboardBenchmark();
        b.setUp();
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            b.dashboardPage();
            System.out.printf("%.1f ms%n", (System.nanoTime() - t) / 1e6);
        }
        b.tearDown();
        System.out.println(URI.create("done"));
    }
}
