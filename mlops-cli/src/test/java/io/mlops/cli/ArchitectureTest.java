package io.mlops.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.mlops.core.testkit.LayeringRules;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-cli. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = LayeringRules.classesOf("io.mlops.cli");

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        LayeringRules.noInternalTypesInPublicSignatures(CLASSES);
    }

    @Test
    void usesOnlyThePublicApiOfTheOtherModules() {
        LayeringRules.independentOf(CLASSES, "io.mlops.core.internal", "io.mlops.registry.internal..",
                "io.mlops.data.internal..", "io.mlops.drift.internal..", "io.mlops.serving.internal..", "io.mlops.monitor.internal..");
    }

    @Test
    void internalsStayInside() {
        LayeringRules.internalsStayInside(CLASSES, "io.mlops.cli");
    }
}
