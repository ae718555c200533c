package io.mlops.registry;

import io.mlops.core.AlreadyExistsException;
import io.mlops.core.StorageException;
import io.mlops.core.spi.BlobStore;
import io.mlops.core.spi.IoSupplier;
import io.mlops.registry.spi.ModelStore;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A registration whose commit succeeded but whose answer was lost can be retried with its
 * idempotency key and registers nothing twice, on every store (PostgreSQL skipped, saying so, when
 * the local server is not reachable).
 */
class IdempotentRegistrationTest {

    @TempDir
    Path dir;
    TestDatabases.PostgresSchema schema;

    @AfterEach
    void drop() throws Exception {
        if (schema != null) {
            schema.close();
        }
    }

    ModelStore store(String kind) {
        return switch (kind) {
            case "file-system" -> ModelStore.fileSystem(dir.resolve("metadata"));
            case "in-memory" -> ModelStore.inMemory();
            default -> {
                schema = TestDatabases.postgres(getClass().getSimpleName()).orElse(null);
                Assumptions.assumeTrue(schema != null, "PostgreSQL not reachable at 127.0.0.1:5432");
                yield ModelStore.jdbc(schema.dataSource());
            }
        };
    }

    /** The store, whose next write-locked section commits and then reports a lost connection. */
    static ModelStore losingTheNextAnswer(ModelStore real, AtomicBoolean lose) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (method.getName().equals("writeLocked") && lose.getAndSet(false)) {
                throw new IOException("connection reset: the commit's answer was lost");
            }
            return result;
        };
        return (ModelStore) Proxy.newProxyInstance(ModelStore.class.getClassLoader(), new Class<?>[] {ModelStore.class}, handler);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file-system", "in-memory", "postgres"})
    void aRetryAfterALostAnswerReturnsTheVersionTheFirstTryRegistered(String kind) {
        AtomicBoolean lose = new AtomicBoolean();
        ModelRegistry registry = ModelRegistry.builder().store(losingTheNextAnswer(store(kind), lose))
                .blobStore(BlobStore.fileSystem(dir.resolve("blobs"))).build();
        byte[] model = "the model's bytes".getBytes();
        registry.register("churn").artifact("an older model".getBytes()).save(); // 1.0.0
        lose.set(true);
        assertThatThrownBy(() -> registry.register("churn").artifact(model).metadata("accuracy", 0.95).metadata("trees", 100)
                .tag("algorithm", "forest").idempotencyKey("run-7").save()).isInstanceOf(StorageException.class)
                .hasMessageContaining("answer was lost");
        // the caller cannot know that it was committed, and retries
        ModelVersion retried = registry.register("churn").artifact(model).metadata("accuracy", 0.95).metadata("trees", 100)
                .tag("algorithm", "forest").idempotencyKey("run-7").save();
        assertThat(retried.version()).isEqualTo("1.0.1");
        assertThat(registry.versions("churn")).extracting(ModelVersion::version).containsExactly("1.0.0", "1.0.1");
        assertThat(retried.tags()).containsEntry(Registration.IDEMPOTENCY_KEY_TAG, "run-7").containsEntry("algorithm", "forest");
        try (var in = registry.openArtifact(retried)) {
            assertThat(in.readAllBytes()).as("the artifact the lost answer's commit stored is kept").isEqualTo(model);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(registry.auditLog().stream().filter(e -> e.type() == RegistryEvent.Type.REGISTERED).count()).isEqualTo(2);
        // and again, without a lost answer: still the same version
        assertThat(registry.register("churn").artifact(model).metadata("accuracy", 0.95).metadata("trees", 100)
                .tag("algorithm", "forest").idempotencyKey("run-7").save()).isEqualTo(retried);
        // a key reused for other content is refused, naming the version
        assertThatThrownBy(() -> registry.register("churn").artifact("other bytes".getBytes()).idempotencyKey("run-7").save())
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("'1.0.1'").hasMessageContaining("run-7");
        assertThat(registry.versions("churn")).hasSize(2);
        // another key registers
        assertThat(registry.register("churn").artifact(model).idempotencyKey("run-8").save().version()).isEqualTo("1.0.2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file-system", "in-memory"})
    void anExplicitVersionRetriedWithItsKeyIsReturnedNotRefused(String kind) {
        AtomicBoolean lose = new AtomicBoolean(true);
        ModelRegistry registry = ModelRegistry.builder().store(losingTheNextAnswer(store(kind), lose))
                .blobStore(BlobStore.fileSystem(dir.resolve("blobs"))).build();
        IoSupplier<ModelVersion> register = () -> registry.register("churn").version("2.0.0").artifact("m".getBytes())
                .idempotencyKey("deploy-42").save();
        assertThatThrownBy(register::get).isInstanceOf(StorageException.class);
        ModelVersion v = assertDoesNotThrow(register);
        assertThat(v.version()).isEqualTo("2.0.0");
        // without the key, the same explicit version is still an error
        assertThatThrownBy(() -> registry.register("churn").version("2.0.0").artifact("m".getBytes()).save())
                .isInstanceOf(AlreadyExistsException.class);
    }

    private static ModelVersion assertDoesNotThrow(IoSupplier<ModelVersion> call) {
        try {
            return call.get();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
