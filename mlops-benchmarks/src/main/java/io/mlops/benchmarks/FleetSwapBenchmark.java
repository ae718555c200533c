package io.mlops.benchmarks;

import io.mlops.core.spi.BlobStore;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.spi.ModelStore;
import io.mlops.serving.ModelServer;
import io.mlops.serving.Prediction;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long two model servers following one alias of a PostgreSQL registry take to serve the
 * version it moved to: the alias move (one transaction and its NOTIFY), the notification reaching
 * each server's listener, the new version loaded beside the old and swapped in. The servers poll
 * only every ten minutes, so the figure is the notification path. (FleetServingIT checks the same
 * swap in two JVMs under load without a failed request; the timing is measured here, not there.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class FleetSwapBenchmark {

    FleetDatabase db;
    Path blobs;
    ModelRegistry registry;
    ModelServer a;
    ModelServer b;
    boolean second;

    @Setup
    public void setUp() throws Exception {
        db = new FleetDatabase();
        blobs = Files.createTempDirectory("fleet-swap");
        registry = ModelRegistry.builder().store(ModelStore.jdbc(db.pool)).blobStore(BlobStore.fileSystem(blobs)).build();
        registry.register("churn").version("1.0.0").artifact("1.0.0".getBytes()).save();
        registry.register("churn").version("2.0.0").artifact("2.0.0".getBytes()).save();
        registry.setAlias("churn", "production", "1.0.0");
        a = server();
        b = server();
    }

    private ModelServer server() {
        return ModelServer.builder().fromRegistry(registry, "churn", "production",
                (r, v) -> features -> Prediction.of(v.version())).pollInterval(Duration.ofMinutes(10)).port(0).build().start();
    }

    /** One move of the alias, until both servers serve its new target. */
    @Benchmark
    public String moveAndSwap() throws InterruptedException {
        second = !second;
        String target = second ? "2.0.0" : "1.0.0";
        registry.setAlias("churn", "production", target);
        while (!target.equals(a.modelVersion()) || !target.equals(b.modelVersion())) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000); // not a busy spin: two cores serve both servers
        }
        return target;
    }

    @TearDown
    public void tearDown() throws Exception {
        a.close();
        b.close();
        db.close();
    }
}
