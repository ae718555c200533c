package io.mlops.monitor;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.mlops.core.testkit.LayeringRules;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-monitor. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = LayeringRules.classesOf("io.mlops.monitor");

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        LayeringRules.noInternalTypesInPublicSignatures(CLASSES);
    }

    @Test
    void dependsOnlyOnWhatDesignAllows() {
        LayeringRules.independentOf(CLASSES, "io.mlops.registry..", "io.mlops.data..", "io.mlops.drift.internal..", "io.mlops.serving..", "io.mlops.core.internal");
    }

    @Test
    void internalsStayInside() {
        LayeringRules.internalsStayInside(CLASSES, "io.mlops.monitor");
    }

    @Test
    void worksWithoutMicrometerOpenTelemetrySdkOrSpring() {
        io.mlops.core.testkit.LayeringRules.independentOfTheJvmStack(CLASSES);
    }
}
