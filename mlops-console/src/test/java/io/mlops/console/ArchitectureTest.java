package io.mlops.console;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.mlops.core.testkit.LayeringRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses CLASSES = LayeringRules.classesOf("io.mlops.console");

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        LayeringRules.noInternalTypesInPublicSignatures(CLASSES);
    }

    @Test
    void dependsOnlyOnWhatDesignAllows() {
        LayeringRules.independentOf(CLASSES, "io.mlops.serving..", "io.mlops.s3..", "io.mlops.onnx..", "io.mlops.cli..",
                "io.mlops.core.internal", "io.mlops.registry.internal..", "io.mlops.data.internal..", "io.mlops.monitor.internal..");
    }

    @Test
    void internalsStayInside() {
        LayeringRules.internalsStayInside(CLASSES, "io.mlops.console");
    }
}
