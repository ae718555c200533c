package io.mlops.grpc;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.mlops.core.testkit.LayeringRules;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-grpc. */
class ArchitectureTest {

    /** The module's own classes; protoc's generated ones (internal.proto) follow protoc's layout, not ours. */
    private static final JavaClasses CLASSES = new com.tngtech.archunit.core.importer.ClassFileImporter()
            .withImportOption(com.tngtech.archunit.core.importer.ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/io/mlops/grpc/internal/proto/"))
            .importPackages("io.mlops.grpc");

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        LayeringRules.noInternalTypesInPublicSignatures(CLASSES);
    }

    @Test
    void dependsOnlyOnWhatDesignAllows() {
        LayeringRules.independentOf(CLASSES, "io.mlops.data..", "io.mlops.monitor..", "io.mlops.drift..", "io.mlops.registry..",
                "io.mlops.core.internal", "io.mlops.serving.internal..");
    }

    @Test
    void internalsStayInside() {
        LayeringRules.internalsStayInside(CLASSES, "io.mlops.grpc");
    }
}
