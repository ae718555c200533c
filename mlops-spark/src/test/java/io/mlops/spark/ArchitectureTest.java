package io.mlops.spark;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.mlops.core.testkit.LayeringRules;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-spark. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = LayeringRules.classesOf("io.mlops.spark");

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        LayeringRules.noInternalTypesInPublicSignatures(CLASSES);
    }

    @Test
    void dependsOnlyOnWhatDesignAllows() {
        LayeringRules.independentOf(CLASSES, "io.mlops.registry..", "io.mlops.monitor..", "io.mlops.serving..");
    }

    @Test
    void internalsStayInside() {
        LayeringRules.internalsStayInside(CLASSES, "io.mlops.spark");
    }
}
