package io.mlops.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.RegistryEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook throughput: 10,000 committed registry events waiting in the outbox (the audit log) for a
 * subscription whose stored position is the log's start; a new registry instance subscribes and
 * the time is until a local receiver (the JDK's HTTP server on loopback) has accepted all 10,000.
 * The receiver answers 500 to the first attempt of every tenth event (by its id), so 1,000
 * deliveries are retried once, after {@code firstRetry}. Delivery is in order per subscription: a
 * retried event holds back those after it. One shot per iteration; the stored position is put back
 * between iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class WebhookDrainBenchmark {

    static final int EVENTS = 10_000;
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /**
     * The first retry's delay (ms). The default is 1,000: in-order delivery waits for each retry, so
     * the drain then takes about 1,000 failures x 1 s more (17 minutes), which measures the clock.
     */
    @Param({"1", "10"})
    public int firstRetryMillis;

    Path root;
    HttpServer receiver;
    final AtomicInteger accepted = new AtomicInteger();
    final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    ModelRegistry registry;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        root = Files.createTempDirectory("mlops-webhook-bench");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        receiver.setExecutor(Executors.newFixedThreadPool(2));
        receiver.createContext("/hooks", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String id = exchange.getRequestHeaders().getFirst("X-Mlops-Event-Id");
            boolean fail = id != null && Math.floorMod(id.hashCode(), 10) == 0 && failedOnce.add(id);
            if (!fail) {
                accepted.incrementAndGet();
            }
            exchange.sendResponseHeaders(fail ? 500 : 204, -1);
            exchange.close();
        });
        receiver.start();
        ModelRegistry first = ModelRegistry.fileSystem(root);
        first.webhooks().subscribe("bench", target(), SECRET, RegistryEvent.Type.REGISTERED); // position: the empty log's end
        first.webhooks().close();
        ModelRegistry writer = ModelRegistry.fileSystem(root);
        for (int i = 0; i < EVENTS; i++) {
            writer.register("churn").artifact(RegistryBenchmark.artifact(i)).save();
        }
    }

    URI target() {
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
    }

    @Setup(Level.Iteration)
    public void rewind() throws IOException {
        // the file-system store keeps a subscription's position in values/webhook.NAME.position
        Path position;
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            position = files.filter(f -> f.getFileName().toString().equals("webhook.bench.position")).findFirst().orElseThrow();
        }
        Files.writeString(position, "0:");
        Files.deleteIfExists(position.resolveSibling("webhook.bench.dead"));
        accepted.set(0);
        failedOnce.clear();
    }

    @Benchmark
    public int drain() throws Exception {
        registry = ModelRegistry.fileSystem(root);
        registry.webhooks().timing(Duration.ofMillis(firstRetryMillis), Duration.ofSeconds(10));
        registry.webhooks().subscribe("bench", target(), SECRET, RegistryEvent.Type.REGISTERED);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (accepted.get() < EVENTS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + accepted.get() + " of " + EVENTS + " delivered in 30 minutes");
            }
            Thread.sleep(1);
        }
        return accepted.get();
    }

    @TearDown(Level.Iteration)
    public void closeRegistry() {
        if (registry != null) {
            registry.webhooks().close();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        receiver.stop(0);
        BenchData.deleteTree(root);
    }
}
