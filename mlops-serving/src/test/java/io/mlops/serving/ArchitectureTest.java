package io.mlops.serving;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

/** The layering rules of DESIGN.md and STYLE.md, for mlops-serving. */
class ArchitectureTest {

    private static final JavaClasses DATA = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mlops.serving");

    private static final DescribedPredicate<JavaClass> INTERNAL =
            DescribedPredicate.describe("an internal type", c -> c.getPackageName().contains(".internal"));

    @Test
    void publicSignaturesNeverExposeInternalTypes() {
        noMethods().that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .should().haveRawReturnType(INTERNAL).check(DATA);
        noMethods().that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .should().haveRawParameterTypes(DescribedPredicate.describe("internal types",
                        (List<JavaClass> types) -> types.stream().anyMatch(INTERNAL)))
                .check(DATA);
    }

    @Test
    void servingDependsOnlyOnCoreRegistryAndMonitor() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.mlops.data..", "io.mlops.drift..")
                .check(DATA);
    }

    @Test
    void coreInternalsAreNotUsed() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.mlops.core.internal..").check(DATA);
    }
}
