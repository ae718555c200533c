package io.mlops.benchmarks;

import io.mlops.core.spi.BlobStore;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.spi.ModelStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Registering a 1 KB artifact in fleet mode: metadata in PostgreSQL (the local server, a schema of
 * the benchmark's, through a HikariCP pool), the artifact in S3 (s3proxy, filesystem backend, on
 * loopback in the same JVM, through the AWS SDK over HTTP), with 10 or 10,000 versions of the
 * model already registered. One registration = the S3 put (a HEAD, then a PUT), then one
 * transaction: advisory lock, version list (cached; one indexed query for its generation), record,
 * generation, audit event, commit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class FleetRegisterBenchmark {

    @Param({"10", "10000"})
    public int existing;

    FleetDatabase db;
    LoopbackS3 s3;
    BlobStore blobs;
    ModelRegistry registry;
    final byte[] content = new byte[1000];
    long counter;

    @Setup
    public void setUp() throws Exception {
        db = new FleetDatabase();
        s3 = new LoopbackS3("bench");
        blobs = s3.store;
        ModelStore store = ModelStore.jdbc(db.pool);
        // the existing versions' records, written straight into the store (their artifacts do not matter here)
        for (int k = 0; k < existing; k += 500) {
            int from = k;
            store.writeLocked(() -> {
                for (int v = from; v < Math.min(existing, from + 500); v++) {
                    ModelVersion mv = new ModelVersion("churn", "0.0." + v, "0".repeat(63) + (v % 10), 1000, Instant.now(),
                            Map.of("k", v), Map.of());
                    store.put(mv);
                    store.appendEvent(new RegistryEvent(RegistryEvent.Type.REGISTERED, "churn", mv.version(), null, null,
                            mv.registeredAt(), "bench"));
                }
                return null;
            });
        }
        registry = ModelRegistry.builder().store(store).blobStore(blobs).build();
    }

    @TearDown
    public void tearDown() throws Exception {
        s3.close();
        db.close();
    }

    @Benchmark
    public ModelVersion register() {
        long c = ++counter;
        for (int i = 0; i < 8; i++) {
            content[i] = (byte) (c >>> (8 * i));
        }
        return registry.register("churn").artifact(content).save();
    }
}
