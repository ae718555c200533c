package io.mlops.micrometer;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.mlops.core.testkit.LayeringRules;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-micrometer. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = LayeringRules.classesOf("io.mlops.micrometer");

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        LayeringRules.noInternalTypesInPublicSignatures(CLASSES);
    }

    @Test
    void usesThePartsOnlyThroughTheirPublicApi() {
        LayeringRules.independentOf(CLASSES, "io.mlops.core.internal..", "io.mlops.serving.internal..",
                "io.mlops.monitor.internal..", "io.mlops.registry.internal..", "io.mlops.data..");
    }
}
