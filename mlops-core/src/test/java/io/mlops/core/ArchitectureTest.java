package io.mlops.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-core. */
class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mlops.core");

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        io.mlops.core.testkit.LayeringRules.noInternalTypesInPublicSignatures(CORE);
    }

    @Test
    void apiDoesNotDependOnInternalsExceptInFactories() {
        // The base package uses only core's plumbing (atomic files, locks) of the internals; only
        // the SPI's static factories (BlobStore.fileSystem/inMemory) name implementations, and the
        // plumbing never reaches into the implementations.
        noClasses().that().resideInAPackage("io.mlops.core")
                .should().dependOnClassesThat().resideInAPackage("io.mlops.core.internal")
                .check(CORE);
        noClasses().that().resideInAnyPackage("io.mlops.core.internal.io", "io.mlops.core.internal.sql")
                .should().dependOnClassesThat().resideInAPackage("io.mlops.core.internal")
                .check(CORE);
    }

    @Test
    void internalsStayInside() {
        io.mlops.core.testkit.LayeringRules.internalsStayInside(CORE, "io.mlops.core");
    }

    @Test
    void internalsDoNotDependOnTestOrFrameworkCode() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.junit..", "org.assertj..", "org.springframework..")
                .check(CORE);
    }

    @Test
    void javaSerializationIsNotUsed() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream")
                .check(CORE);
    }

    @Test
    void worksWithoutMicrometerOpenTelemetrySdkOrSpring() {
        io.mlops.core.testkit.LayeringRules.independentOfTheJvmStack(CORE);
    }
}
