package io.mlops.micrometer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Changes made through the registry are counted per model and type, until the binding is closed. */
class RegistryMetersTest {

    @TempDir
    Path dir;

    @Test
    void countsChangesPerModelAndType() {
        ModelRegistry registry = ModelRegistry.fileSystem(dir);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RegistryMeters binding = MlopsMeters.bind(meters, registry);
        registry.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
        registry.register("churn").version("1.1.0").artifact(new byte[] {2}).save();
        registry.register("fraud").version("1.0.0").artifact(new byte[] {3}).save();
        registry.setAlias("churn", "production", "1.0.0");
        registry.setAlias("churn", "production", "1.1.0");

        assertThat(meters.get(RegistryMeters.EVENTS).tags("model", "churn", "type", "registered").counter().count()).isEqualTo(2);
        assertThat(meters.get(RegistryMeters.EVENTS).tags("model", "fraud", "type", "registered").counter().count()).isEqualTo(1);
        assertThat(meters.get(RegistryMeters.EVENTS).tags("model", "churn", "type", "alias_moved").counter().count()).isEqualTo(2);

        binding.close();
        registry.setAlias("churn", "production", "1.0.0");
        assertThat(meters.find(RegistryMeters.EVENTS).meters()).isEmpty();
    }
}
