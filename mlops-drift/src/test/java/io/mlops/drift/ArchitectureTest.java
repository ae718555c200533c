package io.mlops.drift;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.mlops.core.testkit.LayeringRules;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-drift. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = LayeringRules.classesOf("io.mlops.drift");

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        LayeringRules.noInternalTypesInPublicSignatures(CLASSES);
    }

    @Test
    void dependsOnlyOnWhatDesignAllows() {
        LayeringRules.independentOf(CLASSES, "io.mlops.registry..", "io.mlops.data..", "io.mlops.monitor..", "io.mlops.serving..", "io.mlops.core.internal");
    }

    @Test
    void internalsStayInside() {
        LayeringRules.internalsStayInside(CLASSES, "io.mlops.drift");
    }

    @Test
    void worksWithoutMicrometerOpenTelemetrySdkOrSpring() {
        io.mlops.core.testkit.LayeringRules.independentOfTheJvmStack(CLASSES);
    }
}
