package io.mlops.data;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.mlops.core.testkit.LayeringRules;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-data. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = LayeringRules.classesOf("io.mlops.data");

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        LayeringRules.noInternalTypesInPublicSignatures(CLASSES);
    }

    @Test
    void dependsOnlyOnWhatDesignAllows() {
        LayeringRules.independentOf(CLASSES, "io.mlops.registry..", "io.mlops.drift..", "io.mlops.monitor..", "io.mlops.serving..", "io.mlops.core.internal");
    }

    @Test
    void internalsStayInside() {
        LayeringRules.internalsStayInside(CLASSES, "io.mlops.data");
    }

    @Test
    void worksWithoutMicrometerOpenTelemetrySdkOrSpring() {
        io.mlops.core.testkit.LayeringRules.independentOfTheJvmStack(CLASSES);
    }
}
