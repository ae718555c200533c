package io.mlops.core.testkit;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

/** The layering rules of DESIGN.md and STYLE.md, shared by every module's ArchitectureTest. */
public final class LayeringRules {

    private static final DescribedPredicate<JavaClass> INTERNAL =
            DescribedPredicate.describe("an internal type", c -> c.getPackageName().contains(".internal"));

    /**
     * Core's plumbing for the other modules (atomic files, locks, logs; the SQL layer): internal,
     * not API, and the one internal code a module may use from another — what a qualified export
     * would say with a module system.
     */
    private static final Set<String> PLUMBING = Set.of("io.mlops.core.internal.io", "io.mlops.core.internal.concurrent",
            "io.mlops.core.internal.sql", "io.mlops.core.internal.text");

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

    /**
     * The boundary without a module system: a module's classes use no other module's internal
     * packages, and a class of an internal package is public only when a class outside its
     * package uses it (the module's facade creating it) or it provides an SPI (ServiceLoader needs
     * providers public); everything else there is package-private.
     */
    public static void internalsStayInside(JavaClasses classes, String basePackage) {
        noClasses().should().dependOnClassesThat(DescribedPredicate.describe("another module's internal type",
                c -> c.getPackageName().contains(".internal") && !c.getPackageName().startsWith(basePackage)
                        && !PLUMBING.contains(c.getPackageName())))
                .check(classes);
        classes().that().resideInAPackage("..internal..").and().arePublic()
                .and().areTopLevelClasses().and().resideOutsideOfPackages(PLUMBING.toArray(String[]::new)) // used by other modules
                .should(new ArchCondition<JavaClass>("be used from outside their package") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        boolean used = c.getDirectDependenciesToSelf().stream()
                                .anyMatch(d -> !d.getOriginClass().getPackageName().equals(c.getPackageName()))
                                // a service provider: ServiceLoader needs it public
                                || c.getAllRawInterfaces().stream().anyMatch(i -> i.getPackageName().endsWith(".spi"));
                        if (!used) {
                            events.add(SimpleConditionEvent.violated(c, c.getName()
                                    + " is public but used only in its package: make it package-private"));
                        }
                    }
                })
                .allowEmptyShould(true)
                .check(classes);
    }

    /**
     * The classes need none of the JVM stack's libraries (Micrometer, OpenTelemetry, Spring): the
     * library works without them on the class path, and only its integration modules
     * ({@code mlops-micrometer}, the Spring Boot starter) name them. OpenTelemetry's API, which the
     * server uses as a no-op without an SDK, is allowed where a module declares it.
     */
    public static void independentOfTheJvmStack(JavaClasses classes) {
        independentOf(classes, "io.micrometer..", "io.opentelemetry.sdk..", "org.springframework..");
    }

    /** The classes use none of the given packages (other capability modules, core's internals). */
    public static void independentOf(JavaClasses classes, String... packages) {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(packages).check(classes);
    }
}
