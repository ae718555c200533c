package io.mlops.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-core. */
class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mlops.core");

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        noMethods().that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .should().haveRawReturnType(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "an internal type", (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().contains(".internal")))
                .check(CORE);
        noMethods().that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .should().haveRawParameterTypes(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "internal types", (java.util.List<com.tngtech.archunit.core.domain.JavaClass> types) ->
                                types.stream().anyMatch(c -> c.getPackageName().contains(".internal"))))
                .check(CORE);
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
