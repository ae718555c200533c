package io.mlops.benchmarks;

import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One fresh process, as a service's first seconds are: opens a SQLite monitor, logs a burst of
 * {@code N} predictions (5 features, a label, a probability, a latency) and flushes them to the
 * store, timing from before the first {@code log()} to after {@code flush()} — the first record's
 * class loading and the store's first write included. Run with the JVM's defaults:
 * {@code java -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.MonitorBurstProcess 20000}.
 */
public final class MonitorBurstProcess {

    private MonitorBurstProcess() {
    }

    /**
     * @param args the burst's size (default 20,000)
     * @throws IOException when the temporary folder cannot be made
     */
    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        Path dir = Files.createTempDirectory("mlops-monitor-burst");
        long opened = System.nanoTime();
        try (ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.sqlite(dir.resolve("monitor.db"))).build()) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                monitor.prediction().input(Map.of("tenure", i % 72, "charges", 70.5 + i % 10, "contract", "monthly",
                        "support", i % 3 == 0, "age", 30 + i % 40)).output(i % 2).probability(0.8).latency(Duration.ofMillis(3))
                        .modelVersion("1.0.0").log();
            }
            long logged = System.nanoTime();
            monitor.flush();
            long flushed = System.nanoTime();
            System.out.printf("mlops: %d records logged in %.1f ms and flushed in %.1f ms: %.0f records/s including the first;"
                            + " monitor opened in %.1f ms, %d ms after the JVM started%n",
                    n, (logged - start) / 1e6, (flushed - logged) / 1e6, n / ((flushed - start) / 1e9), (start - opened) / 1e6,
                    System.currentTimeMillis() - jvmStart);
        } finally {
            BenchData.deleteTree(dir);
        }
    }
}
