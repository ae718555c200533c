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
        // The base package and the io helpers never reach into .internal; only the SPI's static
        // factories (BlobStore.fileSystem/inMemory) name implementations.
        noClasses().that().resideInAnyPackage("io.mlops.core", "io.mlops.core.io")
                .should().dependOnClassesThat().resideInAPackage("..internal..")
                .check(CORE);
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
}
