package io.mlops.registry;

import io.mlops.core.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Artifacts made only of allowed classes that still attack the reader: the limits stop them fast. */
class HostileArtifactTest {

    @TempDir
    Path dir;

    static byte[] serialize(Object o) throws Exception {
        // on a thread with a large stack: writing deep graphs overflows the default one
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                    out.writeObject(o);
                }
                result.set(bytes.toByteArray());
            } catch (IOException | RuntimeException | Error e) {
                result.set(e);
            }
        }, "serialize", 1L << 30);
        t.start();
        t.join();
        if (result.get() instanceof Throwable) {
            throw new AssertionError((Throwable) result.get());
        }
        return (byte[]) result.get();
    }

    /** Nested sets whose hash codes take 2^100 steps to compute (the "SerialDOS" shape). */
    static Set<Object> hashSetBomb() {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("foo");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }

    private ModelVersion register(byte[] artifact) {
        return ModelRegistry.fileSystem(dir).register("hostile").artifact(artifact).save();
    }

    @Test
    void nestedHashSetsStopAtTheDepthLimitInsteadOfRunningForMinutes() throws Exception {
        byte[] bomb = serialize(hashSetBomb());
        assertThat(bomb.length).isLessThan(8_000);
        ModelVersion v = register(bomb);
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> registry.load(v, ModelCodec.javaSerialization(Set.class, "java.util.*", "java.lang.String")))
                        .isInstanceOf(ValidationException.class)
                        .hasMessageContaining("nests deeper than 25 levels")
                        .hasMessageContaining("JavaSerializationLimits.maxDepth"));
    }

    @Test
    void aTinyArtifactDeclaringAHugeArrayIsRefusedBeforeTheAllocation() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(0xACED);                   // stream magic
        out.writeShort(5);                        // stream version
        out.writeByte(0x75);                      // TC_ARRAY
        out.writeByte(0x72);                      // TC_CLASSDESC
        out.writeUTF("[J");                       // long[]
        out.writeLong(ObjectStreamClass.lookup(long[].class).getSerialVersionUID());
        out.writeByte(0x02);                      // SC_SERIALIZABLE
        out.writeShort(0);                        // no fields
        out.writeByte(0x78);                      // TC_ENDBLOCKDATA
        out.writeByte(0x70);                      // TC_NULL: no superclass
        out.writeInt(Integer.MAX_VALUE);          // 2^31 - 1 elements, 16 GiB
        out.flush();
        assertThat(bytes.size()).isEqualTo(27);
        ModelVersion v = register(bytes.toByteArray());
        assertThatThrownBy(() -> ModelRegistry.fileSystem(dir).load(v, ModelCodec.javaSerialization(long[].class, "java.lang.String")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("an array of 2147483647 elements is longer than 10000000");
    }

    /** Lists nested {@code depth} deep, the innermost holding {@code leaf} when it is not null. */
    static List<Object> nestedLists(int depth, Object leaf) {
        List<Object> root = new ArrayList<>();
        List<Object> current = root;
        for (int i = 0; i < depth; i++) {
            List<Object> next = new ArrayList<>();
            current.add(next);
            current = next;
        }
        if (leaf != null) {
            current.add(leaf);
        }
        return root;
    }

    @Test
    void deeplyNestedListsAreAValidationErrorNotAStackOverflow() throws Exception {
        ModelVersion v = register(serialize(nestedLists(50_000, null)));
        ModelCodec<List> codec = ModelCodec.javaSerialization(List.class, "java.util.*");
        assertThatThrownBy(() -> ModelRegistry.fileSystem(dir).load(v, codec)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("nests deeper than 25");
        // even a limit the stack cannot hold ends as a validation error
        ModelCodec<List> unlimited = ModelCodec.javaSerialization(List.class,
                JavaSerializationLimits.defaults().withMaxDepth(1_000_000), "java.util.*");
        assertThatThrownBy(() -> ModelRegistry.fileSystem(dir).load(v, unlimited)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("nests too deeply");
    }

    @Test
    void aDeeperLegitimateModelLoadsOnceTheLimitIsRaised() throws Exception {
        ModelVersion v = register(serialize(nestedLists(40, "leaf")));
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        assertThatThrownBy(() -> registry.load(v, ModelCodec.javaSerialization(List.class, "java.util.*", "java.lang.String")))
                .isInstanceOf(ValidationException.class);
        List<?> back = registry.load(v, ModelCodec.javaSerialization(List.class,
                JavaSerializationLimits.defaults().withMaxDepth(64), "java.util.*", "java.lang.String"));
        assertThat(back).hasSize(1);
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> JavaSerializationLimits.defaults().withMaxDepth(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDepth must be >= 1 but was 0");
        assertThatThrownBy(() -> JavaSerializationLimits.defaults().withMaxArrayLength(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A class whose own readObject fails on the bytes it gets. */
    static final class Fussy implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(java.io.ObjectInputStream in) {
            throw new IllegalStateException("not today");
        }
    }

    @Test
    void aRuntimeExceptionInsideDeserialisationIsAValidationError() throws Exception {
        ModelVersion v = register(serialize(new Fussy()));
        assertThatThrownBy(() -> ModelRegistry.fileSystem(dir).load(v, ModelCodec.javaSerialization(Fussy.class,
                Fussy.class.getName()))).isInstanceOf(ValidationException.class).hasMessageContaining("not today");
        ModelCodec<Object> broken = new ModelCodec<>() {
            @Override
            public void encode(Object model, java.io.OutputStream out) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Object decode(java.io.InputStream in) {
                throw new ArrayIndexOutOfBoundsException(3);
            }
        };
        assertThatThrownBy(() -> ModelRegistry.fileSystem(dir).load(v, broken)).isInstanceOf(ValidationException.class);
    }
}
