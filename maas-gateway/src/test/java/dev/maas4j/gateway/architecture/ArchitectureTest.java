package dev.maas4j.gateway.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module boundaries of {@code ../shared/docs/architecture.md}, checked on the compiled classes
 * of every module (this module's tests see them all but the benchmarks'): no cycles between
 * modules, each module imports only what its row allows, and no module uses another's
 * {@code internal} package.
 */
@AnalyzeClasses(packages = "dev.maas4j", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The modules, by their root package. */
    private static final List<String> MODULES = List.of("dev.maas4j.api", "dev.maas4j.core", "dev.maas4j.client",
            "dev.maas4j.servlet", "dev.maas4j.management", "dev.maas4j.store.jdbc", "dev.maas4j.store.k8s",
            "dev.maas4j.gateway", "dev.maas4j.testing");

    @ArchTest
    static final ArchRule noCyclesBetweenModules = slices().matching("dev.maas4j.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theApiDependsOnNothingOfOurs = noClasses().that().resideInAPackage("dev.maas4j.api..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.maas4j.core..", "dev.maas4j.servlet..",
                    "dev.maas4j.management..", "dev.maas4j.store..", "dev.maas4j.gateway..", "dev.maas4j.client..",
                    "dev.maas4j.testing..");

    @ArchTest
    static final ArchRule coreSeesNoAdapterNorStore = noClasses().that().resideInAPackage("dev.maas4j.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.maas4j.servlet..", "dev.maas4j.management..",
                    "dev.maas4j.store..", "dev.maas4j.gateway..", "dev.maas4j.client..", "dev.maas4j.testing..",
                    "jakarta.servlet..", "org.jdbi..", "io.fabric8..", "org.eclipse.jetty..");

    @ArchTest
    static final ArchRule theClientNeverDependsOnTheServerSide = noClasses().that()
            .resideInAPackage("dev.maas4j.client..").should().dependOnClassesThat()
            .resideInAnyPackage("dev.maas4j.api..", "dev.maas4j.core..", "dev.maas4j.servlet..",
                    "dev.maas4j.management..", "dev.maas4j.store..", "dev.maas4j.gateway..");

    @ArchTest
    static final ArchRule theDataPlaneAndTheManagementApiAreApart = CompositeArchRule
            .of(noClasses().that().resideInAPackage("dev.maas4j.servlet..").should().dependOnClassesThat()
                    .resideInAnyPackage("dev.maas4j.management..", "dev.maas4j.store..", "dev.maas4j.gateway.."))
            .and(noClasses().that().resideInAPackage("dev.maas4j.management..").should().dependOnClassesThat()
                    .resideInAnyPackage("dev.maas4j.servlet..", "dev.maas4j.store..", "dev.maas4j.gateway.."))
            .and(noClasses().that().resideInAPackage("dev.maas4j.servlet..").should().dependOnClassesThat()
                    .resideInAPackage("com.fasterxml.jackson.databind.."));

    @ArchTest
    static final ArchRule storesSeeNoAdapter = noClasses().that().resideInAPackage("dev.maas4j.store..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.maas4j.servlet..", "dev.maas4j.management..",
                    "dev.maas4j.gateway..", "jakarta.servlet..");

    @ArchTest
    static final ArchRule noModuleUsesAnothersInternals = internalsStayInTheirModule();

    private static ArchRule internalsStayInTheirModule() {
        CompositeArchRule rule = null;
        for (String module : MODULES) {
            ArchRule one = noClasses().that().resideOutsideOfPackage(module + "..").should().dependOnClassesThat()
                    .resideInAPackage(module + ".internal..").because(module + ".internal is that module's own");
            rule = rule == null ? CompositeArchRule.of(one) : rule.and(one);
        }
        return rule;
    }
}
