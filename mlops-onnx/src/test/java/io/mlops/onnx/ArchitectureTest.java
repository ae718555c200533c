package io.mlops.onnx;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.mlops.core.testkit.LayeringRules;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-onnx. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = LayeringRules.classesOf("io.mlops.onnx");

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        LayeringRules.noInternalTypesInPublicSignatures(CLASSES);
    }

    @Test
    void dependsOnlyOnWhatDesignAllows() {
        LayeringRules.independentOf(CLASSES, "io.mlops.data..", "io.mlops.monitor..", "io.mlops.drift..",
                "io.mlops.core.internal", "io.mlops.serving.internal..", "io.mlops.registry.internal..");
    }

    @Test
    void internalsStayInside() {
        LayeringRules.internalsStayInside(CLASSES, "io.mlops.onnx");
    }
}
