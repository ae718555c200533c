package io.mlops.spring.boot;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.mlops.core.testkit.LayeringRules;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-spring-boot-autoconfigure. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = LayeringRules.classesOf("io.mlops.spring.boot");

    @Test
    void usesThePartsOnlyThroughTheirPublicApi() {
        LayeringRules.independentOf(CLASSES, "io.mlops.core.internal..", "io.mlops.registry.internal..",
                "io.mlops.data.internal..", "io.mlops.monitor.internal..", "io.mlops.serving.internal..");
    }
}
