package dev.tailor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The import rules of the house, checked on the compiled classes: feature packages form no cycle; {@code web} (problem
 * documents, request helpers) stands only on {@code problem}, the floor; the catalogue of problems knows nothing;
 * and below the controllers the domain knows no HTTP.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.tailor");

    /** Feature packages whose classes, controllers aside, are domain code: no HTTP types, no web package. */
    private static final String[] DOMAIN = {"dev.tailor.problem..", "dev.tailor.store..", "dev.tailor.catalog..",
        "dev.tailor.fingerprint..", "dev.tailor.bundle..", "dev.tailor.channel..", "dev.tailor.toolchain..",
        "dev.tailor.builds..", "dev.tailor.worker..", "dev.tailor.signing..", "dev.tailor.amqp.."};

    @Test
    void featurePackages_haveNoCycles() {
        slices().matching("dev.tailor.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void web_standsOnlyOnTheProblemCatalogue() {
        noClasses().that().resideInAPackage("dev.tailor.web..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.tailor.store..", "dev.tailor.catalog..", "dev.tailor.fingerprint..",
                        "dev.tailor.bundle..", "dev.tailor.channel..", "dev.tailor.toolchain..", "dev.tailor.builds..",
                        "dev.tailor.worker..", "dev.tailor.signing..", "dev.tailor.amqp..", "dev.tailor.auth..",
                        "dev.tailor.delivery..")
                .check(CLASSES);
    }

    @Test
    void theProblemCatalogue_dependsOnNothingOfTailorsOrSprings() {
        noClasses().that().resideInAPackage("dev.tailor.problem..").should().dependOnClassesThat()
                .resideOutsideOfPackages("dev.tailor.problem..", "java..").check(CLASSES);
    }

    @Test
    void belowTheControllers_theDomainKnowsNoHttp() {
        noClasses().that().resideInAnyPackage(DOMAIN)
                .and().areNotAnnotatedWith(RestController.class).and().areNotAnnotatedWith(RestControllerAdvice.class)
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.http..",
                        "org.springframework.web..", "dev.tailor.web..")
                .check(CLASSES);
    }

    @Test
    void theCommandLineClient_usesOnlyTheHttpApi() {
        noClasses().that().resideInAPackage("dev.tailor.cli..").should().dependOnClassesThat()
                .resideOutsideOfPackages("dev.tailor.cli..", "java..", "javax..", "picocli..", "tools.jackson..",
                        "com.fasterxml.jackson.annotation..", "org.apache.commons.compress..")
                .check(CLASSES);
    }
}
