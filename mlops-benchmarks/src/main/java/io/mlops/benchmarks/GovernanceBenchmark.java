package io.mlops.benchmarks;

import io.mlops.registry.AuditVerification;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelSigner;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.SignatureCheck;
import io.mlops.registry.TrustPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.concurrent.TimeUnit;

/**
 * Governance on the file-system registry holding 10,000 versions: a registration (its audit event
 * linked into the hash chain: the store's last event read from the end, one SHA-256), the same
 * signed as it is saved ({@code Registration.signedBy}: one commit), the same followed by a separate
 * {@code sign} (a second write and event, two more fsyncs), checking a
 * version's signature under a policy, and verifying the whole 10,000-event trail. Compare
 * {@code register} with {@code RegistryBenchmark.register} built from the commit before the chain
 * (README) for the chain's cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class GovernanceBenchmark {

    Path root;
    ModelRegistry registry;
    ModelSigner signer;
    TrustPolicy policy;
    long counter;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        root = Files.createTempDirectory("mlops-governance-bench");
        registry = ModelRegistry.fileSystem(root);
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        signer = ModelSigner.ed25519(keys.getPrivate(), "bench");
        policy = TrustPolicy.signedBy(keys.getPublic());
        for (int i = 0; i < 10_000; i++) {
            registry.register("churn").artifact(RegistryBenchmark.artifact(++counter)).save();
        }
        registry.sign("churn", "1.0.0", signer);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchData.deleteTree(root);
    }

    @Benchmark
    public ModelVersion register() {
        return registry.register("churn").artifact(RegistryBenchmark.artifact(++counter)).metadata("n", counter).save();
    }

    @Benchmark
    public ModelVersion registerSigned() {
        return registry.register("churn").artifact(RegistryBenchmark.artifact(++counter)).metadata("n", counter)
                .signedBy(signer).save();
    }

    @Benchmark
    public ModelVersion registerAndSign() {
        ModelVersion v = registry.register("churn").artifact(RegistryBenchmark.artifact(++counter)).metadata("n", counter).save();
        registry.sign(v.name(), v.version(), signer);
        return v;
    }

    @Benchmark
    public SignatureCheck checkSignature() {
        return registry.verifySignatures("churn", "1.0.0", policy);
    }

    @Benchmark
    @Warmup(iterations = 1, time = 2)
    @Measurement(iterations = 3, time = 2)
    public AuditVerification verifyTrail() {
        return registry.verifyAuditTrail();
    }
}
