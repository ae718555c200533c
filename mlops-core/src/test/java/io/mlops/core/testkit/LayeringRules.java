package io.mlops.core.testkit;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

/** The layering rules of DESIGN.md and STYLE.md, shared by every module's ArchitectureTest. */
public final class LayeringRules {

    private static final DescribedPredicate<JavaClass> INTERNAL =
            DescribedPredicate.describe("an internal type", c -> c.getPackageName().contains(".internal"));

    private LayeringRules() {
    }

    /**
     * @param basePackage a module's base package
     * @return its production classes
     */
    public static JavaClasses classesOf(String basePackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(basePackage);
    }

    /** Public methods outside {@code .internal} never take or return an internal type. */
    public static void noInternalTypesInPublicSignatures(JavaClasses classes) {
        noMethods().that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .should().haveRawReturnType(INTERNAL).check(classes);
        noMethods().that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .should().haveRawParameterTypes(DescribedPredicate.describe("internal types",
                        (List<JavaClass> types) -> types.stream().anyMatch(INTERNAL)))
                .check(classes);
    }

    /** The classes use none of the given packages (other capability modules, core's internals). */
    public static void independentOf(JavaClasses classes, String... packages) {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(packages).check(classes);
    }
}
