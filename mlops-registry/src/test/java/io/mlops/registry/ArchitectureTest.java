package io.mlops.registry;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.mlops.core.testkit.LayeringRules;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-registry. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = LayeringRules.classesOf("io.mlops.registry");

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        LayeringRules.noInternalTypesInPublicSignatures(CLASSES);
    }

    @Test
    void dependsOnlyOnWhatDesignAllows() {
        LayeringRules.independentOf(CLASSES, "io.mlops.data..", "io.mlops.drift..", "io.mlops.monitor..", "io.mlops.serving..", "io.mlops.core.internal");
    }

    @Test
    void internalsStayInside() {
        LayeringRules.internalsStayInside(CLASSES, "io.mlops.registry");
    }

    @Test
    void worksWithoutMicrometerOpenTelemetrySdkOrSpring() {
        io.mlops.core.testkit.LayeringRules.independentOfTheJvmStack(CLASSES);
    }
}
