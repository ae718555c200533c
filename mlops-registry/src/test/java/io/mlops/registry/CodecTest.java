package io.mlops.registry;

import io.mlops.core.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecTest {

    @TempDir
    Path dir;

    /** A model object: plain data, serialisable both ways. */
    public static final class LinearModel implements Serializable {
        private static final long serialVersionUID = 1L;
        public double[] weights;
        public double bias;
        public List<String> features = new ArrayList<>();

        public LinearModel() {
        }

        LinearModel(double[] weights, double bias, List<String> features) {
            this.weights = weights;
            this.bias = bias;
            this.features = new ArrayList<>(features);
        }
    }

    /** A class that is serialisable but not on the allow-list. */
    public static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static boolean instantiated;

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            instantiated = true;
            in.defaultReadObject();
        }
    }

    /** Holds a gadget inside an allowed-looking model. */
    public static final class Wrapper implements Serializable {
        private static final long serialVersionUID = 1L;
        final Map<String, Object> parts = new HashMap<>();
    }

    @Test
    void javaSerializationRoundTripsAllowedClasses() {
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        ModelCodec<LinearModel> codec = ModelCodec.javaSerialization(LinearModel.class,
                LinearModel.class.getName(), "java.util.ArrayList", "java.lang.String");
        ModelVersion v = registry.register("linear").version("1.0.0")
                .artifact(new LinearModel(new double[] {0.5, -1}, 0.1, List.of("a", "b")), codec).save();

        LinearModel back = registry.load(v, codec);

        assertThat(back.weights).containsExactly(0.5, -1);
        assertThat(back.features).containsExactly("a", "b");
    }

    @Test
    void javaSerializationRefusesAClassOutsideTheAllowList() {
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        Wrapper wrapper = new Wrapper();
        wrapper.parts.put("evil", new Gadget());
        ModelCodec<Wrapper> writer = ModelCodec.javaSerialization(Wrapper.class, "**");
        ModelVersion v = registry.register("wrapped").version("1.0.0").artifact(wrapper, writer).save();
        Gadget.instantiated = false;

        ModelCodec<Wrapper> reader = ModelCodec.javaSerialization(Wrapper.class,
                Wrapper.class.getName(), "java.util.*", "java.lang.String");

        assertThatThrownBy(() -> registry.load(v, reader))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("wrapped:1.0.0")
                .hasMessageContaining("REJECTED")
                .hasMessageContaining(Gadget.class.getName() + " is not on the allow-list");
        assertThat(Gadget.instantiated).isFalse();
    }

    @Test
    void javaSerializationChecksTheTopLevelType() {
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        ModelVersion v = registry.register("s").version("1.0.0")
                .artifact("just a string", ModelCodec.javaSerialization(String.class, "java.lang.String")).save();
        assertThatThrownBy(() -> registry.load(v, ModelCodec.javaSerialization(LinearModel.class, "java.lang.String")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("not a " + LinearModel.class.getName());
    }

    @Test
    void allowListPatternsAreValidated() {
        assertThatThrownBy(() -> ModelCodec.javaSerialization(String.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelCodec.javaSerialization(String.class, "!java.*"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelCodec.javaSerialization(String.class, "maxdepth=5"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonAndBytesCodecsRoundTrip() {
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        ModelCodec<LinearModel> json = ModelCodec.json(LinearModel.class);
        ModelVersion v = registry.register("linear").version("1.0.0")
                .artifact(new LinearModel(new double[] {1, 2}, 3, List.of("x")), json).save();
        assertThat(registry.load(v, json).bias).isEqualTo(3);
        assertThat(new String(registry.load(v, ModelCodec.bytes()))).startsWith("{");
        assertThatThrownBy(() -> registry.load(v, ModelCodec.javaSerialization(LinearModel.class, "**")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("Cannot decode linear:1.0.0");
    }
}
